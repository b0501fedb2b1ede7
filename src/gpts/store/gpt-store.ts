// The GPT store as one object for the server: listings, ratings and reviews, reports and
// moderation, builder profiles with domain verification, and creators' statistics.
import { systemClock, type Clock } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import type { SafeHttpClient } from '../gpt-contracts.js';
import { BuilderDomainVerifier, type TxtResolver } from './builder-domain-verifier.js';
import { BuilderProfiles } from './builder-profiles.js';
import { GptCreatorStatistics } from './gpt-creator-stats.js';
import { GptModeration } from './gpt-moderation.js';
import { GptRatings } from './gpt-ratings.js';
import { GptStoreListing, defaultRatingPrior, type RatingPrior } from './gpt-store-listing.js';

export interface GptStoreOptions {
  readonly database: Database;
  /** The SSRF-safe client that fetches builders' well-known verification files. */
  readonly httpClient: SafeHttpClient;
  readonly clock?: Clock;
  /** DNS TXT lookups for domain verification; default node:dns/promises resolveTxt. */
  readonly resolveTxt?: TxtResolver;
  /** Default https; tests serve the well-known file over http. */
  readonly wellKnownScheme?: 'https' | 'http';
  /** Default: the scheme's port. */
  readonly wellKnownPort?: number;
  /** Top rated's prior: every GPT counts as if it had `weight` ratings of `stars`. Default 5 × 3 stars. */
  readonly ratingPrior?: RatingPrior;
}

export class GptStore {
  readonly listing: GptStoreListing;
  readonly ratings: GptRatings;
  readonly moderation: GptModeration;
  readonly builders: BuilderProfiles;
  readonly statistics: GptCreatorStatistics;

  constructor(options: GptStoreOptions) {
    const kysely = options.database.kysely;
    const clock = options.clock ?? systemClock;
    const verifier = new BuilderDomainVerifier({
      httpClient: options.httpClient,
      ...(options.resolveTxt === undefined ? {} : { resolveTxt: options.resolveTxt }),
      ...(options.wellKnownScheme === undefined ? {} : { wellKnownScheme: options.wellKnownScheme }),
      ...(options.wellKnownPort === undefined ? {} : { wellKnownPort: options.wellKnownPort }),
    });
    this.listing = new GptStoreListing(kysely, clock, options.ratingPrior ?? defaultRatingPrior);
    this.ratings = new GptRatings(kysely, clock);
    this.moderation = new GptModeration(kysely, clock);
    this.builders = new BuilderProfiles(kysely, verifier, clock);
    this.statistics = new GptCreatorStatistics(kysely, clock);
  }
}
