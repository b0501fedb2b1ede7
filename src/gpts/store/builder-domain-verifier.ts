// Proves that a builder controls a domain: the token at
// https://<domain>/.well-known/modelmart-verification.txt (fetched through the SSRF-safe client),
// or a DNS TXT record `modelmart-verification=<token>` on the domain. Each check says what it found.
import { resolveTxt as systemResolveTxt } from 'node:dns/promises';
import { ModelmartError } from '../../core/index.js';
import type { SafeHttpClient } from '../gpt-contracts.js';
import type { DomainVerificationMethod } from './gpt-store-records.js';

export const wellKnownVerificationPath = '/.well-known/modelmart-verification.txt';
export const dnsVerificationPrefix = 'modelmart-verification=';

/** Looks up a domain's TXT records; each record is a list of strings, joined as DNS joins them. */
export type TxtResolver = (domain: string) => Promise<string[][]>;

export interface BuilderDomainVerifierOptions {
  readonly httpClient: SafeHttpClient;
  /** Default: node:dns/promises resolveTxt. */
  readonly resolveTxt?: TxtResolver;
  /** Default https; tests serve the file over plain http on a loopback port. */
  readonly wellKnownScheme?: 'https' | 'http';
  /** Default: the scheme's port. */
  readonly wellKnownPort?: number;
}

export interface DomainCheck {
  readonly method: DomainVerificationMethod;
  readonly verified: boolean;
  /** What was found, in words: the status and content of the file, the TXT records, or the error. */
  readonly found: string;
}

// The file holds one short token; anything longer is not what we asked for.
const maxWellKnownBytes = 4_096;

function describeError(error: unknown): string {
  if (error instanceof ModelmartError) return `${error.code ?? 'error'}: ${error.message}`;
  const failure = error as NodeJS.ErrnoException;
  return failure.code ?? failure.message ?? String(error);
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

export class BuilderDomainVerifier {
  private readonly resolveTxt: TxtResolver;

  constructor(private readonly options: BuilderDomainVerifierOptions) {
    this.resolveTxt = options.resolveTxt ?? systemResolveTxt;
  }

  wellKnownUrl(domain: string): string {
    const scheme = this.options.wellKnownScheme ?? 'https';
    const port = this.options.wellKnownPort === undefined ? '' : `:${this.options.wellKnownPort}`;
    return `${scheme}://${domain}${port}${wellKnownVerificationPath}`;
  }

  async checkWellKnown(domain: string, token: string): Promise<DomainCheck> {
    const url = this.wellKnownUrl(domain);
    try {
      const response = await this.options.httpClient.fetch(url, { headers: { accept: 'text/plain' }, maxResponseBytes: maxWellKnownBytes });
      const content = response.body.toString('utf8');
      if (response.status !== 200) return { method: 'well-known', verified: false, found: `${url} answered HTTP ${response.status}` };
      // The file may hold the bare token or the same `modelmart-verification=<token>` line as DNS.
      const lines = content.split(/\r?\n/).map((line) => line.trim());
      const verified = lines.some((line) => line === token || line === `${dnsVerificationPrefix}${token}`);
      return { method: 'well-known', verified, found: verified ? `${url} holds the token` : `${url} holds ${JSON.stringify(excerpt(content))}, not the token` };
    } catch (error) {
      return { method: 'well-known', verified: false, found: `${url} could not be fetched (${describeError(error)})` };
    }
  }

  async checkDns(domain: string, token: string): Promise<DomainCheck> {
    try {
      const records = (await this.resolveTxt(domain)).map((parts) => parts.join(''));
      const verified = records.some((record) => record.trim() === `${dnsVerificationPrefix}${token}`);
      if (verified) return { method: 'dns', verified, found: `a TXT record on ${domain} holds the token` };
      const ours = records.filter((record) => record.startsWith(dnsVerificationPrefix));
      const shown = ours.length > 0 ? ours : records;
      return { method: 'dns', verified, found: shown.length === 0 ? `no TXT records on ${domain}` : `TXT records on ${domain}: ${shown.map((record) => JSON.stringify(excerpt(record))).join(', ')}` };
    } catch (error) {
      return { method: 'dns', verified: false, found: `TXT lookup of ${domain} failed (${describeError(error)})` };
    }
  }

  /** Checks the methods asked for (default: the well-known file, then DNS) and stops at the first that proves it. */
  async verify(domain: string, token: string, method?: DomainVerificationMethod): Promise<readonly DomainCheck[]> {
    const methods: readonly DomainVerificationMethod[] = method === undefined ? ['well-known', 'dns'] : [method];
    const checks: DomainCheck[] = [];
    for (const each of methods) {
      const check = each === 'well-known' ? await this.checkWellKnown(domain, token) : await this.checkDns(domain, token);
      checks.push(check);
      if (check.verified) break;
    }
    return checks;
  }
}
