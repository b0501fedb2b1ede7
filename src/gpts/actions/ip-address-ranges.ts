// IP addresses as bytes, CIDR ranges, and the special-purpose ranges an outbound call of a GPT
// must never reach (loopback, private, link-local, cloud metadata, unspecified, shared, multicast,
// reserved). IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
// by the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback like `127.0.0.1`.
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  readonly bytes: Uint8Array;
}

export interface CidrRange {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefixLength: number;
}

function parseIpv4Bytes(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map((part) => Number(part)));
}

function parseIpv6Bytes(text: string): Uint8Array | undefined {
  if (!isIPv6(text)) return undefined;
  let groupsText = text;
  const bytes = new Uint8Array(16);
  // A dotted IPv4 tail (`::ffff:1.2.3.4`) fills the last four bytes.
  let tail: Uint8Array | undefined;
  const lastColon = groupsText.lastIndexOf(':');
  if (groupsText.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4Bytes(groupsText.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    groupsText = `${groupsText.slice(0, lastColon + 1)}0:0`;
  }
  const [headText = '', restText] = groupsText.split('::');
  const head = headText === '' ? [] : headText.split(':');
  const rest = restText === undefined || restText === '' ? [] : restText.split(':');
  const zeroGroups = 8 - head.length - rest.length;
  const groups = [...head, ...new Array<string>(restText === undefined ? 0 : zeroGroups).fill('0'), ...rest];
  if (groups.length !== 8) return undefined;
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tail !== undefined) bytes.set(tail, 12);
  return bytes;
}

/** Parses an IPv4 or IPv6 literal (brackets and an IPv6 zone are accepted); undefined when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  let literal = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = literal.indexOf('%');
  if (zone >= 0) literal = literal.slice(0, zone);
  const ipv4 = parseIpv4Bytes(literal);
  if (ipv4 !== undefined) return { family: 4, bytes: ipv4 };
  const ipv6 = parseIpv6Bytes(literal);
  if (ipv6 !== undefined) return { family: 6, bytes: ipv6 };
  return undefined;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address (a full-length prefix). */
export function parseCidrRange(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const maximum = address.family === 4 ? 32 : 128;
  if (slash < 0) return { ...address, prefixLength: maximum };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > maximum) return undefined;
  return { ...address, prefixLength };
}

export function rangeContains(range: CidrRange, address: IpAddress): boolean {
  if (range.family !== address.family) return false;
  const fullBytes = Math.floor(range.prefixLength / 8);
  for (let index = 0; index < fullBytes; index += 1) {
    if (range.bytes[index] !== address.bytes[index]) return false;
  }
  const remainingBits = range.prefixLength % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((range.bytes[fullBytes] ?? 0) & mask) === ((address.bytes[fullBytes] ?? 0) & mask);
}

export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) return [...address.bytes].join('.');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((address.bytes[index] ?? 0) << 8) | (address.bytes[index + 1] ?? 0));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Why an address may not be reached; the first matching range wins, so specific ones come first. */
interface ForbiddenRange {
  readonly range: CidrRange;
  readonly reason: string;
}

function forbidden(cidr: string, reason: string): ForbiddenRange {
  const range = parseCidrRange(cidr);
  if (range === undefined) throw new Error(`bad built-in range ${cidr}`);
  return { range, reason };
}

export const cloudMetadataReason = 'a cloud metadata address';

const forbiddenIpv4Ranges: readonly ForbiddenRange[] = [
  forbidden('169.254.169.254/32', cloudMetadataReason),
  forbidden('0.0.0.0/8', 'an unspecified ("this network") address'),
  forbidden('10.0.0.0/8', 'a private address'),
  forbidden('100.64.0.0/10', 'a carrier-grade NAT (shared) address'),
  forbidden('127.0.0.0/8', 'a loopback address'),
  forbidden('169.254.0.0/16', 'a link-local address'),
  forbidden('172.16.0.0/12', 'a private address'),
  forbidden('192.0.0.0/24', 'a reserved (IETF protocol assignment) address'),
  forbidden('192.0.2.0/24', 'a reserved (documentation) address'),
  forbidden('192.88.99.0/24', 'a reserved (6to4 relay) address'),
  forbidden('192.168.0.0/16', 'a private address'),
  forbidden('198.18.0.0/15', 'a reserved (benchmarking) address'),
  forbidden('198.51.100.0/24', 'a reserved (documentation) address'),
  forbidden('203.0.113.0/24', 'a reserved (documentation) address'),
  forbidden('224.0.0.0/4', 'a multicast address'),
  forbidden('255.255.255.255/32', 'the broadcast address'),
  forbidden('240.0.0.0/4', 'a reserved address'),
];

const forbiddenIpv6Ranges: readonly ForbiddenRange[] = [
  forbidden('::/128', 'an unspecified address'),
  forbidden('::1/128', 'a loopback address'),
  forbidden('fd00:ec2::254/128', cloudMetadataReason),
  forbidden('64:ff9b:1::/48', 'a local-use NAT64 address'),
  forbidden('100::/64', 'a reserved (discard-only) address'),
  forbidden('2001:db8::/32', 'a reserved (documentation) address'),
  forbidden('fc00::/7', 'a private (unique local) address'),
  forbidden('fe80::/10', 'a link-local address'),
  forbidden('fec0::/10', 'a private (site-local) address'),
  forbidden('ff00::/8', 'a multicast address'),
];

/** IPv6 ranges whose addresses carry an IPv4 address at a known offset. */
const ipv4CarryingRanges: readonly { readonly range: CidrRange; readonly offset: number; readonly form: string }[] = [
  { range: parseCidrRange('::ffff:0:0/96') as CidrRange, offset: 12, form: 'IPv4-mapped' },
  { range: parseCidrRange('::ffff:0:0:0/96') as CidrRange, offset: 12, form: 'IPv4-translated' },
  { range: parseCidrRange('::/96') as CidrRange, offset: 12, form: 'IPv4-compatible' },
  { range: parseCidrRange('64:ff9b::/96') as CidrRange, offset: 12, form: 'NAT64' },
  { range: parseCidrRange('2002::/16') as CidrRange, offset: 2, form: '6to4' },
];

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or undefined. */
export function embeddedIpv4Address(address: IpAddress): { readonly address: IpAddress; readonly form: string } | undefined {
  if (address.family !== 6) return undefined;
  for (const carrying of ipv4CarryingRanges) {
    if (rangeContains(carrying.range, address)) {
      return { address: { family: 4, bytes: address.bytes.slice(carrying.offset, carrying.offset + 4) }, form: carrying.form };
    }
  }
  return undefined;
}

/**
 * Why the address is not a public unicast destination, or undefined when it is one. `::` and
 * `::1` are judged as themselves before the IPv4-compatible form could read them as `0.0.0.0`.
 */
export function forbiddenAddressReason(address: IpAddress): string | undefined {
  if (address.family === 4) return forbiddenIpv4Ranges.find((entry) => rangeContains(entry.range, address))?.reason;
  const own = forbiddenIpv6Ranges.find((entry) => rangeContains(entry.range, address));
  if (own !== undefined) return own.reason;
  const embedded = embeddedIpv4Address(address);
  if (embedded === undefined) return undefined;
  const reason = forbiddenAddressReason(embedded.address);
  return reason === undefined ? undefined : `${reason} in ${embedded.form} form (${formatIpAddress(embedded.address)})`;
}
