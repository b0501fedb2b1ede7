// The one outbound HTTP client of GPTs (actions, MCP servers, live sources, domain checks). A URL
// a GPT's builder wrote may point anywhere, so before every hop this client resolves the name
// itself, refuses every address that is not public unicast (unless the allow list opens it), and
// then connects to exactly the address it checked: a second lookup could be answered differently
// (DNS rebinding). Redirects are followed by hand so that each hop is checked the same way.
import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import type { Config } from '../../config/index.js';
import { invalidRequest, ModelmartError } from '../../core/index.js';
import type { SafeFetchOptions, SafeFetchResponse, SafeHttpClient as SafeHttpClientContract } from '../gpt-contracts.js';
import { cloudMetadataReason, forbiddenAddressReason, formatIpAddress, parseIpAddress, type IpAddress } from './ip-address-ranges.js';
import { normaliseHostname, OutboundAllowList } from './outbound-allow-list.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

export interface SafeHttpClientOptions {
  /** Resolves a host name to all its addresses; the default asks the system resolver. Tests inject names here. */
  readonly lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

/** Names that reach a cloud's instance metadata service whatever they resolve to. */
const metadataHostnames = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Headers that may follow a redirect to another origin; anything else may carry a credential. */
const crossOriginSafeHeaders = new Set(['accept', 'accept-language', 'content-type', 'user-agent']);

export function destinationNotAllowed(message: string): ModelmartError {
  return new ModelmartError(403, message, { code: 'destination_not_allowed', retryable: false });
}

function outboundTimeout(host: string, milliseconds: number): ModelmartError {
  return new ModelmartError(504, `The call to ${host} did not finish within ${milliseconds} ms.`, { code: 'outbound_timeout', type: 'upstream_error', retryable: true });
}

function responseTooLarge(host: string, limit: number): ModelmartError {
  return new ModelmartError(502, `The response from ${host} is larger than the limit of ${limit} bytes.`, { code: 'response_too_large', type: 'upstream_error', retryable: false });
}

function outboundFailed(host: string, cause: unknown): ModelmartError {
  const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return new ModelmartError(502, `The call to ${host} failed: ${reason}.`, { code: 'outbound_failed', type: 'upstream_error', cause });
}

async function systemResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  return systemLookup(hostname, { all: true, verbatim: true });
}

/** A lookup for the socket that answers with the address already checked, never asking DNS again. */
function pinnedLookup(address: IpAddress): LookupFunction {
  const text = formatIpAddress(address);
  const family = address.family;
  return ((_hostname: string, options: { all?: boolean }, callback: (error: Error | null, address: string | readonly ResolvedAddress[], family?: number) => void) => {
    if (options.all === true) callback(null, [{ address: text, family }]);
    else callback(null, text, family);
  }) as LookupFunction;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

export class SafeHttpClient implements SafeHttpClientContract {
  private readonly allowList: OutboundAllowList;
  private readonly resolve: (hostname: string) => Promise<readonly ResolvedAddress[]>;

  constructor(
    private readonly outbound: Config['gpts']['outbound'],
    options: SafeHttpClientOptions = {},
  ) {
    this.allowList = new OutboundAllowList(outbound.allowList);
    this.resolve = options.lookup ?? systemResolve;
  }

  async fetch(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchResponse> {
    const timeoutMilliseconds = options.timeoutMilliseconds ?? this.outbound.timeoutMs;
    const maxResponseBytes = options.maxResponseBytes ?? this.outbound.maxResponseBytes;
    const firstUrl = parseOutboundUrl(url);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMilliseconds);
    const signal = options.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, options.signal]);
    let hop: Hop = {
      url: firstUrl,
      method: (options.method ?? 'GET').toUpperCase(),
      headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
      body: options.body,
    };
    try {
      for (let redirects = 0; ; redirects += 1) {
        const address = await this.checkDestination(hop.url, signal);
        const response = await this.send(hop, address, signal, maxResponseBytes);
        const location = response.headers['location'];
        if (!redirectStatuses.has(response.status) || location === undefined) return response;
        if (redirects >= this.outbound.maxRedirects) {
          throw new ModelmartError(502, `The call to ${hop.url.host} was redirected more than ${this.outbound.maxRedirects} times.`, { code: 'outbound_failed', type: 'upstream_error' });
        }
        hop = nextHop(hop, response.status, location);
      }
    } catch (error) {
      if (timeout.signal.aborted) throw outboundTimeout(hop.url.host, timeoutMilliseconds);
      if (options.signal?.aborted === true) throw options.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves the URL's host and returns the address to connect to, or refuses the destination. */
  private async checkDestination(url: URL, signal: AbortSignal): Promise<IpAddress> {
    const hostname = normaliseHostname(url.hostname);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    const literal = parseIpAddress(hostname);
    let addresses: IpAddress[];
    if (literal !== undefined) {
      addresses = [literal];
    } else {
      const resolved = await abortable(this.resolve(url.hostname), signal).catch((cause: unknown) => {
        if (signal.aborted) throw cause;
        throw outboundFailed(url.host, cause);
      });
      addresses = resolved.map((entry) => parseIpAddress(entry.address)).filter((address): address is IpAddress => address !== undefined);
      if (addresses.length === 0) throw outboundFailed(url.host, new Error(`${hostname} resolved to no address`));
    }
    if (metadataHostnames.has(hostname) && addresses.every((address) => this.allowList.allowingEntry({ hostname, port, address }, true) === undefined)) {
      throw destinationNotAllowed(`The destination ${hostname} is not allowed: it names a cloud metadata service.`);
    }
    for (const address of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason === undefined) continue;
      const destination = { hostname, port, address };
      // Metadata, also in an IPv6 form, is opened only by an entry naming it exactly.
      const allowed = this.allowList.allowingEntry(destination, reason.startsWith(cloudMetadataReason)) !== undefined;
      if (!allowed) {
        const shown = formatIpAddress(address);
        const via = literal === undefined ? ` resolves to ${shown}, which is` : ` is`;
        throw destinationNotAllowed(
          `The destination ${hostname}${via} ${reason}; GPT actions and sources may reach only public addresses unless gpts.outbound.allowList names the host or address.`,
        );
      }
    }
    const [first] = addresses;
    if (first === undefined) throw outboundFailed(url.host, new Error('no address'));
    return first;
  }

  private async send(hop: Hop, address: IpAddress, signal: AbortSignal, maxResponseBytes: number): Promise<SafeFetchResponse> {
    const client = new Client(hop.url.origin, { connect: { lookup: pinnedLookup(address) } });
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await client.request({ path: `${hop.url.pathname}${hop.url.search}`, method: hop.method as Dispatcher.HttpMethod, headers: hop.headers, body: hop.body ?? null, signal });
      } catch (cause) {
        if (signal.aborted) throw cause;
        throw outboundFailed(hop.url.host, cause);
      }
      const headers = flattenHeaders(response.headers);
      if (redirectStatuses.has(response.statusCode) && headers['location'] !== undefined) {
        await response.body.dump().catch(() => undefined);
        return { status: response.statusCode, headers, body: Buffer.alloc(0), url: hop.url.toString() };
      }
      const declaredLength = Number(headers['content-length'] ?? Number.NaN);
      if (declaredLength > maxResponseBytes) {
        // Destroying the body makes it emit an abort error; nobody reads it now.
        response.body.on('error', () => undefined).destroy();
        throw responseTooLarge(hop.url.host, maxResponseBytes);
      }
      const chunks: Buffer[] = [];
      let received = 0;
      try {
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          received += buffer.length;
          if (received > maxResponseBytes) {
            // Leaving the loop destroys the body, so nothing more is read.
            throw responseTooLarge(hop.url.host, maxResponseBytes);
          }
          chunks.push(buffer);
        }
      } catch (cause) {
        if (cause instanceof ModelmartError || signal.aborted) throw cause;
        throw outboundFailed(hop.url.host, cause);
      }
      return { status: response.statusCode, headers, body: Buffer.concat(chunks), url: hop.url.toString() };
    } finally {
      await client.destroy().catch(() => undefined);
    }
  }
}

function parseOutboundUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest(`${JSON.stringify(text)} is not an absolute URL.`, null, 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw destinationNotAllowed(`The destination ${JSON.stringify(text)} is not allowed: only http and https URLs may be called, not ${url.protocol.slice(0, -1)}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidRequest(`The URL for ${url.host} carries credentials; configure the action's authentication instead.`, null, 'invalid_url');
  }
  return url;
}

function nextHop(previous: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = parseOutboundUrl(new URL(location, previous.url).toString());
  } catch (error) {
    if (error instanceof ModelmartError && error.code === 'destination_not_allowed') throw error;
    throw new ModelmartError(502, `${previous.url.host} redirected to an invalid location ${JSON.stringify(location)}.`, { code: 'outbound_failed', type: 'upstream_error' });
  }
  // 303, and 301/302 after a POST as browsers do, turn into a GET without a body.
  const becomesGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  const sameOrigin = url.origin === previous.url.origin;
  const headers = Object.fromEntries(
    Object.entries(previous.headers).filter(([name]) => (sameOrigin || crossOriginSafeHeaders.has(name)) && !(becomesGet && (name === 'content-type' || name === 'content-length'))),
  );
  return { url, method: becomesGet ? 'GET' : previous.method, headers, body: becomesGet ? undefined : previous.body };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
