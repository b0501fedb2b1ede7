// The GPT store: listings, ratings and reviews, reports and moderation, builders, creator statistics.
export { GptStore, type GptStoreOptions } from './gpt-store.js';
export { GptStoreListing, defaultRatingPrior, type RatingPrior, type StoreGptDetail } from './gpt-store-listing.js';
export { GptRatings, ratingSummaryOf, type RatingResult } from './gpt-ratings.js';
export { GptModeration, type ModeratedGpt, type ModerationOutcome } from './gpt-moderation.js';
export { BuilderProfiles, type BuilderDomainClaim, type DomainVerificationResult } from './builder-profiles.js';
export { BuilderDomainVerifier, dnsVerificationPrefix, wellKnownVerificationPath, type BuilderDomainVerifierOptions, type DomainCheck, type TxtResolver } from './builder-domain-verifier.js';
export { GptCreatorStatistics, statsDays, type AmountsByCurrency, type GptCreatorStats, type GptDayStats } from './gpt-creator-stats.js';
export { raterIdOf } from './gpt-store-access.js';
export * from './gpt-store-records.js';
