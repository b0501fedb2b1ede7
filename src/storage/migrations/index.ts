// Every migration, in order. Names sort by their number; a new one is added at the end, never edited.
import type { Migration } from 'kysely';
import { initialMigration } from './0001-initial.js';
import { responsesMigration } from './0002-responses.js';
import { routesMigration } from './0003-routes.js';
import { catalogMigration } from './0004-catalog.js';
import { evaluationRunsMigration } from './0005-evaluation-runs.js';
import { tenancyMigration } from './0006-tenancy.js';
import { billingMigration } from './0007-billing.js';
import { auditAndCredentialsMigration } from './0008-audit-and-credentials.js';
import { gptsMigration } from './0009-gpts.js';
import { gptKnowledgeMigration } from './0010-gpt-knowledge.js';
import { gptActionsMigration } from './0011-gpt-actions.js';
import { gptStoreMigration } from './0012-gpt-store.js';
import { webSessionsMigration } from './0013-web-sessions.js';
import { ledgerGptIndexMigration } from './0014-ledger-gpt-index.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initialMigration,
  '0002-responses': responsesMigration,
  '0003-routes': routesMigration,
  '0004-catalog': catalogMigration,
  '0005-evaluation-runs': evaluationRunsMigration,
  '0006-tenancy': tenancyMigration,
  '0007-billing': billingMigration,
  '0008-audit-and-credentials': auditAndCredentialsMigration,
  '0009-gpts': gptsMigration,
  '0010-gpt-knowledge': gptKnowledgeMigration,
  '0011-gpt-actions': gptActionsMigration,
  '0012-gpt-store': gptStoreMigration,
  '0013-web-sessions': webSessionsMigration,
  '0014-ledger-gpt-index': ledgerGptIndexMigration,
};
