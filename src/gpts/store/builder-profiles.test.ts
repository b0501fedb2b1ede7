import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelmartError } from '../../core/index.js';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import type { Database } from '../../storage/index.js';
import { SafeHttpClient } from '../actions/index.js';
import { GptStore } from './gpt-store.js';
import { createStoreWorld, defaultOutbound, fixedClock, insertGpt, type StoreWorld } from './gpt-store-test-fixtures.js';
import type { BuilderDomainClaim } from './builder-profiles.js';

async function expectError(promise: Promise<unknown>, status: number, code: string, param?: string): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ModelmartError);
  const modelmartError = error as ModelmartError;
  expect({ status: modelmartError.status, code: modelmartError.code }).toEqual({ status, code });
  if (param !== undefined) expect(modelmartError.param).toBe(param);
  return modelmartError;
}

/** Stands in for a builder's web site: answers the well-known file with whatever the test sets. */
interface WellKnownSite {
  readonly port: number;
  answer: { status: number; body: string };
  readonly requests: { path: string; host: string }[];
  close(): Promise<void>;
}

async function startWellKnownSite(): Promise<WellKnownSite> {
  const requests: { path: string; host: string }[] = [];
  const site = { answer: { status: 404, body: 'not found' } };
  const server: Server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', host: request.headers.host ?? '' });
    response.writeHead(site.answer.status, { 'content-type': 'text/plain' });
    response.end(site.answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(site, { port, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

describe.each(testDatabaseTargets())('builder profiles and domain verification on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let world: StoreWorld;
  let site: WellKnownSite;
  const txtRecords = new Map<string, string[][]>();

  beforeAll(async () => {
    site = await startWellKnownSite();
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    // The real SSRF-safe client: the builder's names resolve to loopback, which only the allow list lets through.
    const httpClient = new SafeHttpClient({ ...defaultOutbound(), allowList: ['127.0.0.1'] }, { lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    world = await createStoreWorld(database, {
      httpClient,
      wellKnownScheme: 'http',
      wellKnownPort: site.port,
      resolveTxt: async (domain) => {
        const records = txtRecords.get(domain);
        if (records === undefined) throw Object.assign(new Error(`queryTxt ENODATA ${domain}`), { code: 'ENODATA' });
        return records;
      },
    });
  });
  afterAll(async () => {
    await dispose();
    await site.close();
  });

  it('lets owners and admins edit the profile; anyone reads it, with the builder name in listings', async () => {
    const { acme } = world;
    const builders = world.store.builders;
    expect(await builders.profile(acme.id)).toMatchObject({ organisation_id: acme.id, display_name: 'Acme', bio: null, verified: false, verified_domains: [] });
    await expectError(builders.update(acme.member.principal, { display_name: 'Hijacked' }), 403, 'permission_denied');
    await expectError(builders.update(acme.owner.principal, { website: 'ftp://acme.example' }), 400, 'invalid_request', 'website');
    await expectError(builders.update(acme.owner.principal, { display_name: 'A', motto: 'x' }), 400, 'unknown_parameter', 'motto');
    const updated = await builders.update(acme.owner.principal, { display_name: 'Acme Labs', bio: 'We build writing tools.', website: 'https://acme.example' });
    expect(updated).toMatchObject({ display_name: 'Acme Labs', bio: 'We build writing tools.', website: 'https://acme.example' });
    // A partial update keeps what it does not name.
    expect(await builders.update(acme.owner.principal, { bio: 'Writing tools.' })).toMatchObject({ display_name: 'Acme Labs', bio: 'Writing tools.', website: 'https://acme.example' });
    await expectError(builders.profile('org_nobody'), 404, 'builder_not_found');

    await insertGpt(database, { slug: 'acme-labs-writer', creator: acme.owner.principal });
    await insertGpt(database, { slug: 'acme-labs-internal', visibility: 'organisation', creator: acme.owner.principal });
    const listed = await world.store.listing.list({ q: 'acme-labs' });
    expect(listed.data.map((item) => [item.slug, item.builder.name])).toEqual([['acme-labs-writer', 'Acme Labs']]);
    expect((await world.store.listing.publicGptsOf(acme.id)).map((item) => item.slug)).toEqual(['acme-labs-writer']);
  });

  it('verifies a domain by its well-known file through the SSRF-safe client, and says what it found when it fails', async () => {
    const { acme } = world;
    const builders = world.store.builders;
    await expectError(builders.addDomain(acme.member.principal, { domain: 'acme.example' }), 403, 'permission_denied');
    await expectError(builders.addDomain(acme.owner.principal, { domain: '127.0.0.1' }), 400, 'invalid_request', 'domain');
    const claim = (await builders.addDomain(acme.owner.principal, { domain: 'Acme.Example' })) as BuilderDomainClaim;
    expect(claim).toMatchObject({ domain: 'acme.example', verified: false, method: null });
    expect(claim.token).toMatch(/^[\w-]{32}$/);
    expect(claim.proofs).toEqual({
      well_known: { url: `http://acme.example:${site.port}/.well-known/modelmart-verification.txt`, content: claim.token },
      dns: { type: 'TXT', name: 'acme.example', value: `modelmart-verification=${claim.token}` },
    });
    // Claiming again gives the same token.
    expect(((await builders.addDomain(acme.owner.principal, { domain: 'acme.example' })) as BuilderDomainClaim).token).toBe(claim.token);

    site.answer = { status: 404, body: 'not found' };
    const missing = await expectError(builders.verifyDomain(acme.owner.principal, 'acme.example', {}), 422, 'domain_verification_failed', 'domain');
    expect(missing.message).toContain('answered HTTP 404');
    expect(missing.message).toContain('dns: TXT lookup of acme.example failed (ENODATA)');
    expect(site.requests.at(-1)).toEqual({ path: '/.well-known/modelmart-verification.txt', host: `acme.example:${site.port}` });

    site.answer = { status: 200, body: 'someone-elses-token\n' };
    const wrong = await expectError(builders.verifyDomain(acme.owner.principal, 'acme.example', { method: 'well-known' }), 422, 'domain_verification_failed');
    expect(wrong.message).toContain('"someone-elses-token", not the token');
    expect(wrong.message).not.toContain('dns:');

    site.answer = { status: 200, body: `${claim.token}\n` };
    const verified = await builders.verifyDomain(acme.owner.principal, 'acme.example', {});
    expect(verified).toMatchObject({ domain: 'acme.example', verified: true, method: 'well-known', verified_at: fixedClock.now().toISOString() });
    expect(verified.checks).toEqual([{ method: 'well-known', verified: true, found: expect.stringContaining('holds the token') }]);
    expect(await builders.profile(acme.id)).toMatchObject({ verified: true, verified_domains: ['acme.example'] });
    expect((await world.store.listing.list({ q: 'acme-labs' })).data[0]?.builder).toEqual({ organisation_id: acme.id, name: 'Acme Labs', verified: true });
    const own = await builders.own(acme.owner.principal);
    expect(own.domains).toEqual([expect.objectContaining({ domain: 'acme.example', verified: true })]);
    expect(own.domains[0]).not.toHaveProperty('token');

    await expectError(builders.verifyDomain(acme.owner.principal, 'never-claimed.example', {}), 404, 'domain_not_found', 'domain');
    await expectError(builders.verifyDomain(world.globex.owner.principal, 'acme.example', {}), 404, 'domain_not_found');
  });

  it('verifies a domain by a DNS TXT record from the injected resolver', async () => {
    const { globex } = world;
    const builders = world.store.builders;
    const claim = (await builders.addDomain(globex.owner.principal, { domain: 'globex.example' })) as BuilderDomainClaim;
    txtRecords.set('globex.example', [['v=spf1 -all'], ['modelmart-verification=stale']]);
    const stale = await expectError(builders.verifyDomain(globex.owner.principal, 'globex.example', { method: 'dns' }), 422, 'domain_verification_failed');
    expect(stale.message).toContain('TXT records on globex.example: "modelmart-verification=stale"');
    // A long record arrives in several strings; DNS joins them.
    txtRecords.set('globex.example', [['v=spf1 -all'], ['modelmart-verification=', claim.token]]);
    const verified = await builders.verifyDomain(globex.owner.principal, 'globex.example', { method: 'dns' });
    expect(verified).toMatchObject({ verified: true, method: 'dns' });
    expect((await builders.own(globex.member.principal)).verified_domains).toEqual(['globex.example']);
  });

  it('refuses a loopback verification URL when the allow list does not name it', async () => {
    const strict = new GptStore({
      database,
      clock: fixedClock,
      httpClient: new SafeHttpClient(defaultOutbound(), { lookup: async () => [{ address: '127.0.0.1', family: 4 }] }),
      wellKnownScheme: 'http',
      wellKnownPort: site.port,
      resolveTxt: async () => [],
    });
    await strict.builders.addDomain(world.globex.owner.principal, { domain: 'internal.example' });
    const requestsBefore = site.requests.length;
    const refused = await expectError(strict.builders.verifyDomain(world.globex.owner.principal, 'internal.example', {}), 422, 'domain_verification_failed');
    expect(refused.message).toContain('destination_not_allowed');
    expect(refused.message).toContain('no TXT records on internal.example');
    expect(site.requests.length).toBe(requestsBefore);
  });
});
