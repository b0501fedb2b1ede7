// Finds the published version a GPT call runs: `slug` → the latest, `slug@3` → version 3. It
// runs on every GPT call, so the immutable versions are kept in memory once read, and only the
// GPT's small access row (visibility, hidden, deleted, latest version) is read each time: a
// GPT hidden, deleted or made private stops answering at once.
import type { Principal } from '../../accounts/index.js';
import { invalidRequest } from '../../core/index.js';
import type { GptResolver, PublishedGpt } from '../gpt-contracts.js';
import { gptNotFound, mayViewGpt, type GptActor } from './gpt-access-rules.js';
import { gptVisibilitySchema, storedPublishedGptSchema } from './gpt-definition-schemas.js';
import type { GptRepository } from './gpt-repository.js';

const referencePattern = /^([a-z0-9][a-z0-9-]{1,62}[a-z0-9])(?:@([1-9][0-9]{0,8}))?$/;
const cachedVersionLimit = 5_000;

export interface GptReference {
  readonly slug: string;
  /** Undefined: the latest published version. */
  readonly version: number | undefined;
}

/** `slug` or `slug@version`, with or without the `gpt:` prefix; anything else is a 400 naming `model`. */
export function parseGptReference(reference: string): GptReference {
  const bare = reference.startsWith('gpt:') ? reference.slice(4) : reference;
  const match = referencePattern.exec(bare);
  if (match === null || match[1] === undefined) {
    throw invalidRequest(`${JSON.stringify(reference)} is not a GPT reference: write gpt:<slug> or gpt:<slug>@<version>, for example gpt:travel-helper@2.`, 'model', 'invalid_gpt_reference');
  }
  return { slug: match[1], version: match[2] === undefined ? undefined : Number(match[2]) };
}

export class PublishedGptResolver implements GptResolver {
  private readonly versions = new Map<string, PublishedGpt>();

  constructor(private readonly repository: GptRepository) {}

  async resolvePublished(reference: string, principal: Principal | GptActor): Promise<PublishedGpt> {
    const { slug, version } = parseGptReference(reference);
    const gpt = await this.repository.findAccess(slug);
    if (gpt === undefined || gpt.deleted_at !== null || gpt.hidden_at !== null || gpt.latest_version === null || !mayViewGpt(gpt, principal)) {
      throw gptNotFound(reference, 'model');
    }
    const wanted = version ?? gpt.latest_version;
    if (wanted > gpt.latest_version) throw gptNotFound(reference, 'model');
    const published = await this.version(gpt.id, wanted);
    if (published === undefined) throw gptNotFound(reference, 'model');
    // Visibility is the GPT's, not the version's: a change applies to every version at once.
    return { ...published, visibility: gptVisibilitySchema.parse(gpt.visibility) };
  }

  parseDefinition(definition: string): PublishedGpt {
    const parsed = storedPublishedGptSchema.parse(JSON.parse(definition));
    return { ...parsed, actionsSnapshot: parsed.actionsSnapshot ?? null };
  }

  private async version(gptId: string, version: number): Promise<PublishedGpt | undefined> {
    const key = `${gptId}@${version}`;
    const cached = this.versions.get(key);
    if (cached !== undefined) return cached;
    const row = await this.repository.findVersion(gptId, version);
    if (row === undefined) return undefined;
    const published = this.parseDefinition(row.definition);
    // Versions never change, so any entry may go; the oldest goes first.
    if (this.versions.size >= cachedVersionLimit) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
    this.versions.set(key, published);
    return published;
  }
}
