// The GPT store: ratings, reviews, builder profiles, reports and moderation, as Kysely sees them. Timestamps are ISO-8601 UTC text.

/** One rater's stars (and optional review) for one GPT; a second rating by the same rater replaces the first. */
export interface GptRatingsTable {
  gpt_id: string;
  /** The rater's user id, or `key:<key id>` for a key without a user. */
  rater_id: string;
  organisation_id: string;
  /** The key that last rated, kept for moderation. */
  key_id: string;
  stars: number;
  review: string | null;
  created_at: string;
  updated_at: string;
}

/** A builder is an organisation; its public face in the store. */
export interface BuilderProfilesTable {
  organisation_id: string;
  display_name: string;
  bio: string | null;
  website: string | null;
  created_at: string;
  updated_at: string;
}

/** A domain an organisation claims; verified once its token is found at the well-known file or in DNS. */
export interface BuilderDomainsTable {
  organisation_id: string;
  /** Lower-case host name. */
  domain: string;
  token: string;
  /** well-known | dns: how it was proved; null until verified. */
  method: string | null;
  verified_at: string | null;
  created_at: string;
}

/** A user's report of a GPT, for the moderation queue. */
export interface GptReportsTable {
  id: string;
  gpt_id: string;
  /** The reporter's user id, or `key:<key id>`. */
  reporter_id: string;
  reporter_organisation_id: string;
  /** spam | harmful | illegal | impersonation | intellectual_property | privacy | other */
  reason: string;
  details: string | null;
  /** open | resolved */
  status: string;
  resolution: string | null;
  created_at: string;
  resolved_at: string | null;
  /** The key id of the admin who resolved it. */
  resolved_by: string | null;
}

export interface GptStoreTables {
  gpt_ratings: GptRatingsTable;
  builder_profiles: BuilderProfilesTable;
  builder_domains: BuilderDomainsTable;
  gpt_reports: GptReportsTable;
}
