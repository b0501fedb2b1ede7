// The configured allow list of GPT outbound calls (`gpts.outbound.allowList`): the private
// services a company lets its GPTs reach. An entry names a host (`api.internal`), a domain's
// subdomains (`*.corp.example`), an address or CIDR (`10.20.0.0/16`, `fd00::/8`, `127.0.0.1`,
// `[::1]`), each optionally limited to one port (`api.internal:8443`, `127.0.0.1:8080`,
// `[::1]:8080`), so a test or an operator can open exactly one service and nothing beside it.
import { ConfigError } from '../../config/index.js';
import { embeddedIpv4Address, parseCidrRange, rangeContains, type CidrRange, type IpAddress } from './ip-address-ranges.js';

type AllowListTarget = { readonly kind: 'host'; readonly hostname: string } | { readonly kind: 'subdomains'; readonly suffix: string } | { readonly kind: 'range'; readonly range: CidrRange };

interface AllowListEntry {
  readonly text: string;
  readonly target: AllowListTarget;
  readonly port: number | undefined;
}

export interface OutboundDestination {
  /** Lower case, without brackets or a trailing dot. */
  readonly hostname: string;
  readonly port: number;
  readonly address: IpAddress;
}

export function normaliseHostname(hostname: string): string {
  const unbracketed = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return unbracketed.toLowerCase().replace(/\.$/, '');
}

function unreadable(entry: string, problem: string): ConfigError {
  return new ConfigError([`gpts.outbound.allowList: the entry ${JSON.stringify(entry)} ${problem}`], 'gpts.outbound');
}

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw unreadable(entry, 'has a port outside 1-65535');
  return port;
}

function parseTarget(text: string, entry: string): AllowListTarget {
  const range = parseCidrRange(text);
  if (range !== undefined) return { kind: 'range', range };
  if (text.includes('/')) throw unreadable(entry, 'is not a valid CIDR range');
  const hostname = normaliseHostname(text);
  if (hostname.startsWith('*.')) return { kind: 'subdomains', suffix: hostname.slice(1) };
  if (!/^[a-z0-9_.-]+$/.test(hostname)) throw unreadable(entry, 'is neither a host name, a *.domain, an address nor a CIDR range');
  return { kind: 'host', hostname };
}

function parseEntry(entry: string): AllowListEntry {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed !== null) {
    const [, address = '', port] = bracketed;
    return { text, target: parseTarget(address, entry), port: port === undefined ? undefined : parsePort(port, entry) };
  }
  // An IPv6 literal or CIDR without brackets has several colons and no port.
  if (parseCidrRange(text) !== undefined || text.includes('/')) return { text, target: parseTarget(text, entry), port: undefined };
  const withPort = /^(.+):(\d+)$/.exec(text);
  if (withPort !== null) {
    const [, host = '', port = ''] = withPort;
    return { text, target: parseTarget(host, entry), port: parsePort(port, entry) };
  }
  return { text, target: parseTarget(text, entry), port: undefined };
}

function targetMatches(target: AllowListTarget, destination: OutboundDestination): boolean {
  switch (target.kind) {
    case 'host':
      return destination.hostname === target.hostname;
    case 'subdomains':
      return destination.hostname.endsWith(target.suffix);
    case 'range': {
      if (rangeContains(target.range, destination.address)) return true;
      const embedded = embeddedIpv4Address(destination.address);
      return embedded !== undefined && rangeContains(target.range, embedded.address);
    }
  }
}

/** True when the entry names this one destination rather than a whole domain or network. */
function namesExactly(target: AllowListTarget, destination: OutboundDestination): boolean {
  if (target.kind === 'host') return destination.hostname === target.hostname;
  if (target.kind === 'range') return target.range.prefixLength === (target.range.family === 4 ? 32 : 128) && targetMatches(target, destination);
  return false;
}

export class OutboundAllowList {
  private readonly entries: readonly AllowListEntry[];

  /** Throws ConfigError on an entry it cannot read, naming it, so a typo fails at start-up instead of at a call. */
  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseEntry);
  }

  /**
   * The entry that lets this destination through, or undefined. With `exactOnly`, only an entry
   * naming this host or this very address counts: cloud metadata is never opened by a wildcard
   * or a network range that happens to contain it.
   */
  allowingEntry(destination: OutboundDestination, exactOnly = false): string | undefined {
    const entry = this.entries.find(
      (candidate) =>
        (candidate.port === undefined || candidate.port === destination.port) &&
        (exactOnly ? namesExactly(candidate.target, destination) : targetMatches(candidate.target, destination)),
    );
    return entry?.text;
  }
}
