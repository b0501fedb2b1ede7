// Builder profiles: a builder is an organisation, with a display name, bio and website, and the
// domains it has proved it controls (a verified domain makes it a verified builder). Owners and
// admins edit their organisation's profile and claim and verify domains; anyone reads a profile.
import type { Principal } from '../../accounts/index.js';
import { mayManageOrganisation } from '../../accounts/index.js';
import { notFound, permissionDenied, randomToken, systemClock, type Clock } from '../../core/index.js';
import type { BuilderDomainVerifier} from './builder-domain-verifier.js';
import { dnsVerificationPrefix, type DomainCheck } from './builder-domain-verifier.js';
import type { StoreKysely } from './gpt-store-access.js';
import { parseStoreQuery, unprocessable } from './gpt-store-query.js';
import {
  builderProfileInputSchema,
  domainInputSchema,
  domainSchema,
  domainVerificationMethodSchema,
  domainVerifyInputSchema,
  type BuilderDomainRecord,
  type BuilderProfileInput,
  type BuilderProfileRecord,
} from './gpt-store-records.js';

type DomainRow = {
  readonly organisation_id: string;
  readonly domain: string;
  readonly token: string;
  readonly method: string | null;
  readonly verified_at: string | null;
  readonly created_at: string;
};

/** A claimed domain as its organisation's managers see it: with the token and the two ways to prove it. */
export interface BuilderDomainClaim extends BuilderDomainRecord {
  readonly token: string;
  readonly proofs: {
    readonly well_known: { readonly url: string; readonly content: string };
    readonly dns: { readonly type: 'TXT'; readonly name: string; readonly value: string };
  };
}

export interface DomainVerificationResult extends BuilderDomainRecord {
  readonly checks: readonly DomainCheck[];
}

function toDomain(row: DomainRow): BuilderDomainRecord {
  const method = domainVerificationMethodSchema.safeParse(row.method);
  return {
    object: 'store.builder.domain',
    domain: row.domain,
    verified: row.verified_at !== null,
    method: method.success ? method.data : null,
    verified_at: row.verified_at,
    created_at: row.created_at,
  };
}

function requireManager(principal: Principal, what: string): void {
  if (!mayManageOrganisation(principal)) {
    throw permissionDenied(`Only an owner or admin of the organisation may ${what}; this key's role is ${principal.organisationRole}.`);
  }
}

export class BuilderProfiles {
  constructor(
    private readonly kysely: StoreKysely,
    private readonly verifier: BuilderDomainVerifier,
    private readonly clock: Clock = systemClock,
  ) {}

  private claim(row: DomainRow): BuilderDomainClaim {
    return {
      ...toDomain(row),
      token: row.token,
      proofs: {
        well_known: { url: this.verifier.wellKnownUrl(row.domain), content: row.token },
        dns: { type: 'TXT', name: row.domain, value: `${dnsVerificationPrefix}${row.token}` },
      },
    };
  }

  private async domainsOf(organisationId: string): Promise<DomainRow[]> {
    return this.kysely.selectFrom('builder_domains').selectAll().where('organisation_id', '=', organisationId).orderBy('domain').execute();
  }

  /** The public profile: 404 for an organisation that does not exist or is archived. */
  async profile(organisationId: string): Promise<BuilderProfileRecord> {
    const organisation = await this.kysely.selectFrom('organisations').select(['id', 'name']).where('id', '=', organisationId).where('archived_at', 'is', null).executeTakeFirst();
    if (organisation === undefined) throw notFound(`No builder with organisation id ${JSON.stringify(organisationId)}.`, 'builder_not_found', 'organisation_id');
    const stored = await this.kysely.selectFrom('builder_profiles').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
    const verifiedDomains = (await this.domainsOf(organisationId)).filter((row) => row.verified_at !== null).map((row) => row.domain);
    return {
      object: 'store.builder',
      organisation_id: organisationId,
      display_name: stored?.display_name ?? organisation.name,
      bio: stored?.bio ?? null,
      website: stored?.website ?? null,
      verified: verifiedDomains.length > 0,
      verified_domains: verifiedDomains,
      updated_at: stored?.updated_at ?? null,
    };
  }

  /** The caller's organisation's profile with every claimed domain (tokens shown to its owners and admins only). */
  async own(principal: Principal): Promise<BuilderProfileRecord & { readonly domains: readonly (BuilderDomainRecord | BuilderDomainClaim)[] }> {
    const profile = await this.profile(principal.organisationId);
    const manager = mayManageOrganisation(principal);
    const domains = (await this.domainsOf(principal.organisationId)).map((row) => (manager && row.verified_at === null ? this.claim(row) : toDomain(row)));
    return { ...profile, domains };
  }

  async update(principal: Principal, input: BuilderProfileInput | unknown): Promise<BuilderProfileRecord> {
    const changes = parseStoreQuery(builderProfileInputSchema, input);
    requireManager(principal, "edit the organisation's builder profile");
    const current = await this.profile(principal.organisationId);
    const now = this.clock.now().toISOString();
    const row = {
      organisation_id: principal.organisationId,
      display_name: changes.display_name ?? current.display_name,
      bio: changes.bio === undefined ? current.bio : changes.bio === '' ? null : changes.bio,
      website: changes.website === undefined ? current.website : changes.website,
      created_at: now,
      updated_at: now,
    };
    await this.kysely
      .insertInto('builder_profiles')
      .values(row)
      .onConflict((conflict) => conflict.column('organisation_id').doUpdateSet({ display_name: row.display_name, bio: row.bio, website: row.website, updated_at: now }))
      .execute();
    return this.profile(principal.organisationId);
  }

  /** Claims a domain (again: the same token) and says how to prove it. */
  async addDomain(principal: Principal, input: unknown): Promise<BuilderDomainClaim | BuilderDomainRecord> {
    const { domain } = parseStoreQuery(domainInputSchema, input);
    requireManager(principal, 'claim a domain for the organisation');
    await this.kysely
      .insertInto('builder_domains')
      .values({ organisation_id: principal.organisationId, domain, token: randomToken(24), method: null, verified_at: null, created_at: this.clock.now().toISOString() })
      .onConflict((conflict) => conflict.columns(['organisation_id', 'domain']).doNothing())
      .execute();
    const row = await this.findDomain(principal.organisationId, domain);
    return row.verified_at === null ? this.claim(row) : toDomain(row);
  }

  private async findDomain(organisationId: string, domain: string): Promise<DomainRow> {
    const row = await this.kysely.selectFrom('builder_domains').selectAll().where('organisation_id', '=', organisationId).where('domain', '=', domain).executeTakeFirst();
    if (row === undefined) throw notFound(`The organisation has not claimed the domain ${JSON.stringify(domain)}; claim it first with POST /store/v1/builders/me/domains.`, 'domain_not_found', 'domain');
    return row;
  }

  /** Checks the proof; 422 `domain_verification_failed` saying what each check found when none holds. */
  async verifyDomain(principal: Principal, domainText: string, input: unknown): Promise<DomainVerificationResult> {
    const parsedDomain = domainSchema.safeParse(domainText);
    if (!parsedDomain.success) throw notFound(`The organisation has not claimed the domain ${JSON.stringify(domainText)}.`, 'domain_not_found', 'domain');
    const { method } = parseStoreQuery(domainVerifyInputSchema, input ?? {});
    requireManager(principal, 'verify a domain of the organisation');
    const row = await this.findDomain(principal.organisationId, parsedDomain.data);
    const checks = await this.verifier.verify(row.domain, row.token, method);
    const proof = checks.find((check) => check.verified);
    if (proof === undefined) {
      throw unprocessable(`The domain ${row.domain} is not verified: ${checks.map((check) => `${check.method}: ${check.found}`).join('; ')}.`, 'domain_verification_failed', 'domain');
    }
    const verifiedAt = row.verified_at ?? this.clock.now().toISOString();
    await this.kysely
      .updateTable('builder_domains')
      .set({ verified_at: verifiedAt, method: proof.method })
      .where('organisation_id', '=', row.organisation_id)
      .where('domain', '=', row.domain)
      .execute();
    return { ...toDomain({ ...row, verified_at: verifiedAt, method: proof.method }), checks };
  }
}
