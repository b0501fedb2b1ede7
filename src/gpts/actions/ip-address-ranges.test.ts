import { describe, expect, it } from 'vitest';
import { formatIpAddress, forbiddenAddressReason, parseCidrRange, parseIpAddress, rangeContains } from './ip-address-ranges.js';
import { OutboundAllowList } from './outbound-allow-list.js';

function reason(text: string): string | undefined {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(`not an address: ${text}`);
  return forbiddenAddressReason(address);
}

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback address in IPv4-mapped form (127.0.0.1)'],
    ['::ffff:7f00:1', 'loopback address in IPv4-mapped form (127.0.0.1)'],
    ['::ffff:a9fe:a9fe', 'cloud metadata address in IPv4-mapped form (169.254.169.254)'],
    ['::127.0.0.1', 'loopback address in IPv4-compatible form'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'private address in NAT64 form'],
    ['2002:7f00:1::', 'loopback address in 6to4 form'],
  ])('%s is refused as %s', (address, expected) => {
    expect(reason(address)).toContain(expected);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (address) => {
    expect(reason(address)).toBeUndefined();
  });
});

describe('addresses and ranges', () => {
  it('parses and formats IPv6 the short way', () => {
    expect(formatIpAddress(parseIpAddress('[0:0:0:0:0:0:0:1]')!)).toBe('::1');
    expect(formatIpAddress(parseIpAddress('fd00:ec2:0:0:0:0:0:254')!)).toBe('fd00:ec2::254');
    expect(formatIpAddress(parseIpAddress('1:0:2:0:0:3:0:4')!)).toBe('1:0:2::3:0:4');
    expect(formatIpAddress(parseIpAddress('::')!)).toBe('::');
    expect(parseIpAddress('example.com')).toBeUndefined();
    expect(parseIpAddress('fe80::1%eth0')?.family).toBe(6);
  });

  it('checks CIDR membership at odd prefix lengths', () => {
    const range = parseCidrRange('100.64.0.0/10')!;
    expect(rangeContains(range, parseIpAddress('100.127.255.255')!)).toBe(true);
    expect(rangeContains(range, parseIpAddress('100.128.0.0')!)).toBe(false);
    expect(parseCidrRange('10.0.0.0/33')).toBeUndefined();
  });
});

describe('OutboundAllowList', () => {
  const allowList = new OutboundAllowList(['api.internal', '*.corp.example', '10.20.0.0/16', '127.0.0.1:8080', '[::1]:9090', 'fd00::/8', 'svc.internal:8443']);
  const at = (hostname: string, port: number, address: string) => ({ hostname, port, address: parseIpAddress(address)! });

  it('matches hosts, subdomains, ranges and ports', () => {
    expect(allowList.allowingEntry(at('api.internal', 443, '10.9.9.9'))).toBe('api.internal');
    expect(allowList.allowingEntry(at('a.b.corp.example', 80, '192.168.0.2'))).toBe('*.corp.example');
    expect(allowList.allowingEntry(at('corp.example', 80, '192.168.0.2'))).toBeUndefined();
    expect(allowList.allowingEntry(at('db.anything', 5432, '10.20.3.4'))).toBe('10.20.0.0/16');
    expect(allowList.allowingEntry(at('db.anything', 5432, '::ffff:10.20.3.4'))).toBe('10.20.0.0/16');
    expect(allowList.allowingEntry(at('127.0.0.1', 8080, '127.0.0.1'))).toBe('127.0.0.1:8080');
    expect(allowList.allowingEntry(at('127.0.0.1', 8081, '127.0.0.1'))).toBeUndefined();
    expect(allowList.allowingEntry(at('::1', 9090, '::1'))).toBe('[::1]:9090');
    expect(allowList.allowingEntry(at('::1', 8080, '::1'))).toBeUndefined();
    expect(allowList.allowingEntry(at('svc.internal', 443, '10.1.1.1'))).toBeUndefined();
    expect(allowList.allowingEntry(at('x', 80, 'fd12::1'))).toBe('fd00::/8');
  });

  it('opens cloud metadata only for an entry naming it exactly', () => {
    const broad = new OutboundAllowList(['169.254.0.0/16', '*.internal']);
    expect(broad.allowingEntry(at('169.254.169.254', 80, '169.254.169.254'), true)).toBeUndefined();
    const exact = new OutboundAllowList(['169.254.169.254']);
    expect(exact.allowingEntry(at('169.254.169.254', 80, '169.254.169.254'), true)).toBe('169.254.169.254');
  });

  it('refuses entries it cannot read, naming them', () => {
    expect(() => new OutboundAllowList(['10.0.0.0/40'])).toThrow(/10\.0\.0\.0\/40/);
    expect(() => new OutboundAllowList(['api.internal:99999'])).toThrow(/port outside/);
    expect(() => new OutboundAllowList(['http://x'])).toThrow(/http:\/\/x/);
  });
});
