import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { ModelmartError, type Clock } from '../core/index.js';
import { ApiKeyService } from './api-key-service.js';
import { OrganisationService } from './organisation-service.js';
import { keyAllowsGpt, keyAllowsModel, localOperator, type Actor, type Principal } from './principal.js';

async function failure(promise: Promise<unknown>): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelmartError);
  return error as ModelmartError;
}

async function expectError(promise: Promise<unknown>, status: number, code: string, param?: string): Promise<ModelmartError> {
  const error = await failure(promise);
  expect({ status: error.status, code: error.code }).toEqual({ status, code });
  if (param !== undefined) expect(error.param).toBe(param);
  return error;
}

function movableClock(start: string): Clock & { advance(milliseconds: number): void } {
  let now = Date.parse(start);
  return { now: () => new Date(now), monotonicMilliseconds: () => now, advance: (milliseconds) => (now += milliseconds) };
}

// Each test opens a fresh migrated database; on a busy machine PostgreSQL setup alone can pass the 5 s default.
describe.each(testDatabaseTargets())('tenancy on $name', { timeout: 60_000 }, (target) => {
  async function setUp(clock?: Clock) {
    const opened = await target.open();
    const apiKeys = new ApiKeyService(opened.database, clock);
    await apiKeys.initialise();
    const organisations = new OrganisationService(opened.database, apiKeys, clock);
    const acme = await organisations.createOrganisation({ name: 'Acme Corp' }, localOperator);
    const globex = await organisations.createOrganisation({ name: 'Globex', slug: 'globex' }, localOperator);
    const acmeOwner = await organisations.addMember(acme.id, { email: 'Owner@Acme.test', role: 'owner' }, localOperator);
    const acmeViewer = await organisations.addMember(acme.id, { email: 'viewer@acme.test', role: 'billing_viewer' }, localOperator);
    const ownerKey = await apiKeys.createKey({ name: 'acme owner', organisation_id: acme.id, user_id: acmeOwner.id });
    const viewerKey = await apiKeys.createKey({ name: 'acme viewer', organisation_id: acme.id, user_id: acmeViewer.id });
    const acmeActor: Actor = await apiKeys.authenticate(ownerKey.key);
    const viewerActor: Actor = await apiKeys.authenticate(viewerKey.key);
    return { opened, apiKeys, organisations, acme, globex, acmeOwner, acmeActor, viewerActor };
  }

  it('moves existing keys into the default organisation and project; admin keys stay installation admins', async () => {
    const { opened, apiKeys } = await setUp();
    try {
      const bootstrap = await apiKeys.ensureBootstrapAdmin(undefined);
      const admin = await apiKeys.authenticate(bootstrap.generatedKey);
      expect(admin).toMatchObject({ role: 'admin', organisationId: 'org_default', projectId: 'proj_default', organisationRole: 'owner', userId: null });
      const defaults = await opened.database.kysely.selectFrom('organisations').select(['id', 'name']).where('id', '=', 'org_default').execute();
      expect(defaults).toEqual([{ id: 'org_default', name: 'Default organisation' }]);
    } finally {
      await opened.dispose();
    }
  });

  it("answers 404 for another organisation's organisation, projects, users and keys", async () => {
    const { opened, apiKeys, organisations, acme, globex, acmeActor } = await setUp();
    try {
      expect(acmeActor.organisationRole).toBe('owner');
      expect((await organisations.listOrganisations({}, acmeActor)).map((organisation) => organisation.id)).toEqual([acme.id]);
      // Organisations made in the same millisecond have no order between them: compare as sets.
      expect((await organisations.listOrganisations({}, localOperator)).map((organisation) => organisation.id).sort()).toEqual(['org_default', acme.id, globex.id].sort());
      await expectError(organisations.getOrganisation(globex.id, acmeActor), 404, 'organisation_not_found');
      await expectError(organisations.updateOrganisation(globex.id, { name: 'mine now' }, acmeActor), 404, 'organisation_not_found');
      await expectError(organisations.createProject(globex.id, { name: 'x' }, acmeActor), 404, 'organisation_not_found');
      await expectError(organisations.listProjects(globex.id, {}, acmeActor), 404, 'organisation_not_found');
      await expectError(organisations.addMember(globex.id, { email: 'spy@acme.test' }, acmeActor), 404, 'organisation_not_found');
      const [globexProject] = await organisations.listProjects(globex.id, {}, localOperator);
      await expectError(organisations.getProject(acme.id, globexProject!.id, acmeActor), 404, 'project_not_found');
      await expectError(organisations.updateProject(acme.id, globexProject!.id, { name: 'stolen' }, acmeActor), 404, 'project_not_found');
      const globexKey = await apiKeys.createKey({ name: 'globex', organisation_id: globex.id });
      await expectError(apiKeys.revokeKey(globexKey.record.id, acmeActor), 404, 'key_not_found');
      await expectError(apiKeys.listKeys({ organisationId: globex.id }, acmeActor), 404, 'organisation_not_found');
      await expectError(apiKeys.createKey({ name: 'into globex', organisation_id: globex.id }, acmeActor), 404, 'organisation_not_found');
      // The project of another organisation named with one's own organisation is a bad request.
      await expectError(apiKeys.createKey({ name: 'bad project', organisation_id: acme.id, project_id: globexProject!.id }, acmeActor), 400, 'project_not_found', 'project_id');
      const acmeKeys = await apiKeys.listKeys({}, acmeActor);
      expect(acmeKeys.every((key) => key.organisation_id === acme.id)).toBe(true);
      expect(acmeKeys.length).toBe(2);
      expect((await apiKeys.authenticate(globexKey.key)).organisationId).toBe(globex.id);
      await expectError(apiKeys.createKey({ name: 'escalate', role: 'admin' }, acmeActor), 403, 'permission_denied');
      await expectError(organisations.createOrganisation({ name: 'New' }, acmeActor), 403, 'permission_denied');
      await expectError(organisations.updateOrganisation(acme.id, { requests_per_minute: 5 }, acmeActor), 403, 'permission_denied');
    } finally {
      await opened.dispose();
    }
  });

  it('refuses management to billing viewers and plain members with 403', async () => {
    const { opened, apiKeys, organisations, acme, viewerActor } = await setUp();
    try {
      expect(viewerActor.organisationRole).toBe('billing_viewer');
      await expectError(organisations.listProjects(acme.id, {}, viewerActor), 403, 'permission_denied');
      await expectError(apiKeys.listKeys({}, viewerActor), 403, 'permission_denied');
      const plain = await apiKeys.createKey({ name: 'no user', organisation_id: acme.id });
      const member = await apiKeys.authenticate(plain.key);
      expect(member.organisationRole).toBe('member');
      await expectError(organisations.addMember(acme.id, { email: 'x@acme.test' }, member), 403, 'permission_denied');
    } finally {
      await opened.dispose();
    }
  });

  it('carries project and organisation limits in the cached principal and refreshes them on change', async () => {
    const { opened, apiKeys, organisations, acme } = await setUp();
    try {
      const project = await organisations.createProject(acme.id, { name: 'batch', requests_per_minute: 60 }, localOperator);
      const created = await apiKeys.createKey({ name: 'limited', organisation_id: acme.id, project_id: project.id, requests_per_minute: 10, tokens_per_minute: 1000 });
      const first: Principal = await apiKeys.authenticate(created.key);
      expect(first.limits).toEqual({ key: { requestsPerMinute: 10, tokensPerMinute: 1000 }, project: { requestsPerMinute: 60 }, organisation: {} });
      expect(await apiKeys.authenticate(created.key)).toBe(first);
      await organisations.updateOrganisation(acme.id, { tokens_per_minute: 5000 }, localOperator);
      expect((await apiKeys.authenticate(created.key)).limits.organisation).toEqual({ tokensPerMinute: 5000 });
      await organisations.updateProject(acme.id, project.id, { archived: true }, localOperator);
      const archived = await expectError(apiKeys.authenticate(created.key), 401, 'invalid_api_key');
      expect(archived.message).toMatch(/archived project/);
    } finally {
      await opened.dispose();
    }
  });

  it('changes and removes members, keeping one owner, and the key follows the role', async () => {
    const { opened, apiKeys, organisations, acme, acmeOwner, acmeActor } = await setUp();
    try {
      const admin = await organisations.addMember(acme.id, { email: 'admin@acme.test', role: 'admin' }, acmeActor);
      await expectError(organisations.addMember(acme.id, { email: 'admin@acme.test' }, acmeActor), 409, 'member_exists');
      const adminKey = await apiKeys.createKey({ name: 'admin', organisation_id: acme.id, user_id: admin.id }, acmeActor);
      const adminActor = await apiKeys.authenticate(adminKey.key);
      expect(adminActor.organisationRole).toBe('admin');
      await expectError(organisations.updateMember(acme.id, admin.id, { role: 'owner' }, adminActor), 403, 'permission_denied');
      await expectError(organisations.updateMember(acme.id, acmeOwner.id, { role: 'member' }, acmeActor), 409, 'last_owner');
      await organisations.updateMember(acme.id, admin.id, { role: 'member' }, acmeActor);
      expect((await apiKeys.authenticate(adminKey.key)).organisationRole).toBe('member');
      await organisations.removeMember(acme.id, admin.id, acmeActor);
      await expectError(apiKeys.authenticate(adminKey.key), 401, 'invalid_api_key');
      expect((await organisations.listMembers(acme.id, acmeActor)).map((member) => member.email).sort()).toEqual(['owner@acme.test', 'viewer@acme.test']);
    } finally {
      await opened.dispose();
    }
  });

  it('refuses an expired key with 401 saying when it expired, and a past expiry at creation with 400', async () => {
    const clock = movableClock('2026-06-01T00:00:00.000Z');
    const { opened, apiKeys } = await setUp(clock);
    try {
      const created = await apiKeys.createKey({ name: 'short', expires_at: '2026-06-01T01:00:00Z' });
      expect(created.record.expires_at).toBe('2026-06-01T01:00:00.000Z');
      expect((await apiKeys.authenticate(created.key)).scopes.expiresAt).toBe('2026-06-01T01:00:00.000Z');
      clock.advance(60 * 60 * 1000);
      const expired = await expectError(apiKeys.authenticate(created.key), 401, 'invalid_api_key');
      expect(expired.message).toContain('expired at 2026-06-01T01:00:00.000Z');
      await expectError(apiKeys.createKey({ name: 'past', expires_at: '2026-05-01T00:00:00Z' }), 400, 'invalid_expiry', 'expires_at');
    } finally {
      await opened.dispose();
    }
  });

  it('checks the IP allow list for IPv4, IPv6 and IPv4-mapped IPv6 clients', async () => {
    const { opened, apiKeys } = await setUp();
    try {
      const created = await apiKeys.createKey({ name: 'office', scopes: { ip_allow_list: ['10.0.0.0/8', '2001:db8::/32', '192.168.1.7'] } });
      for (const allowed of ['10.1.2.3', '::ffff:10.0.0.1', '2001:db8:1::5', '192.168.1.7']) {
        expect((await apiKeys.authenticate(created.key, { clientIp: allowed })).keyId).toBe(created.record.id);
      }
      for (const refused of ['11.0.0.1', '::ffff:11.0.0.1', '2001:db9::1', '192.168.1.8']) {
        const error = await expectError(apiKeys.authenticate(created.key, { clientIp: refused }), 403, 'ip_not_allowed');
        expect(error.message).toContain(refused);
      }
      await expectError(apiKeys.createKey({ name: 'bad', scopes: { ip_allow_list: ['10.0.0.0/33'] } }), 400, 'invalid_request', 'scopes.ip_allow_list[0]');
      await expectError(apiKeys.createKey({ name: 'bad', scopes: { allowed_models: ['qwen *'] } }), 400, 'invalid_request', 'scopes.allowed_models[0]');
    } finally {
      await opened.dispose();
    }
  });

  it('applies model and GPT globs, deny winning over allow', async () => {
    const { opened, apiKeys } = await setUp();
    try {
      const created = await apiKeys.createKey({
        name: 'scoped',
        scopes: { allowed_models: ['qwen-*', 'openai/*'], denied_models: ['openai/gpt-4o'], allowed_gpts: ['support-?'] },
      });
      const principal = await apiKeys.authenticate(created.key);
      expect(keyAllowsModel(principal, 'qwen-7b')).toBe(true);
      expect(keyAllowsModel(principal, 'openai/gpt-4o-mini')).toBe(true);
      expect(keyAllowsModel(principal, 'openai/gpt-4o')).toBe(false);
      expect(keyAllowsModel(principal, 'anthropic/claude')).toBe(false);
      expect(keyAllowsModel(principal, 'qwen.7b')).toBe(false);
      expect(keyAllowsGpt(principal, 'support-1')).toBe(true);
      expect(keyAllowsGpt(principal, 'support-12')).toBe(false);
      const open = await apiKeys.authenticate((await apiKeys.createKey({ name: 'open', scopes: { denied_models: ['*-preview'] } })).key);
      expect(keyAllowsModel(open, 'anything')).toBe(true);
      expect(keyAllowsModel(open, 'o1-preview')).toBe(false);
      expect(keyAllowsGpt(open, 'any-gpt')).toBe(true);
    } finally {
      await opened.dispose();
    }
  });
});
