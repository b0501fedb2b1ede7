// What a key may reach: model and GPT name globs (deny wins), client address allow lists
// (IPv4 and IPv6 CIDRs, IPv4-mapped IPv6 included) and the schemas that validate them.
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

const globPattern = /^[A-Za-z0-9._:/@+*?-]{1,200}$/;

export const nameGlobSchema = z
  .string()
  .regex(globPattern, 'a glob is 1-200 characters of letters, digits, . _ : / @ + - and the wildcards * and ?');

function parseCidr(text: string): { readonly address: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export const cidrSchema = z
  .string()
  .refine((text) => parseCidr(text) !== undefined, { message: 'expected an IPv4 or IPv6 address or CIDR block, like 10.0.0.0/8 or 2001:db8::/32' });

/** Scopes as stored and as the API shows them; null lists mean "no restriction". */
export const keyScopesWireSchema = z.strictObject({
  allowed_models: z.array(nameGlobSchema).max(200).nullable().default(null),
  denied_models: z.array(nameGlobSchema).max(200).default([]),
  allowed_gpts: z.array(nameGlobSchema).max(200).nullable().default(null),
  ip_allow_list: z.array(cidrSchema).max(200).nullable().default(null),
});
export type KeyScopesWire = z.infer<typeof keyScopesWireSchema>;

export const unrestrictedScopes: KeyScopesWire = { allowed_models: null, denied_models: [], allowed_gpts: null, ip_allow_list: null };

export interface KeyScopes {
  readonly allowedModels: readonly string[] | null;
  readonly deniedModels: readonly string[];
  readonly allowedGpts: readonly string[] | null;
  readonly ipAllowList: readonly string[] | null;
  readonly expiresAt: string | null;
}

// Compiled globs are kept by their text: principals are cached, so the same few patterns repeat.
const compiledGlobs = new Map<string, RegExp>();
const compiledGlobLimit = 10_000;

function globMatches(glob: string, name: string): boolean {
  let expression = compiledGlobs.get(glob);
  if (expression === undefined) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    expression = new RegExp(`^${body}$`);
    if (compiledGlobs.size >= compiledGlobLimit) compiledGlobs.clear();
    compiledGlobs.set(glob, expression);
  }
  return expression.test(name);
}

export function anyGlobMatches(globs: readonly string[], name: string): boolean {
  return globs.some((glob) => globMatches(glob, name));
}

export function scopesAllowModel(scopes: KeyScopes, modelName: string): boolean {
  if (anyGlobMatches(scopes.deniedModels, modelName)) return false;
  return scopes.allowedModels === null || anyGlobMatches(scopes.allowedModels, modelName);
}

export function scopesAllowGpt(scopes: KeyScopes, gptSlug: string): boolean {
  return scopes.allowedGpts === null || anyGlobMatches(scopes.allowedGpts, gptSlug);
}

// One BlockList per allow list (held weakly by the list the cached principal carries), built once.
const addressLists = new WeakMap<readonly string[], BlockList>();

function addressListFor(cidrs: readonly string[]): BlockList {
  let list = addressLists.get(cidrs);
  if (list !== undefined) return list;
  list = new BlockList();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (cidr !== undefined) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  addressLists.set(cidrs, list);
  return list;
}

const ipv4Mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** True when the allow list is unset or names the address; an unparseable address is never allowed. */
export function addressAllowed(cidrs: readonly string[] | null, clientIp: string): boolean {
  if (cidrs === null) return true;
  const list = addressListFor(cidrs);
  const version = isIP(clientIp);
  if (version === 4) return list.check(clientIp, 'ipv4');
  if (version !== 6) return false;
  if (list.check(clientIp, 'ipv6')) return true;
  // An IPv4 client seen through a dual-stack socket: check it against the IPv4 blocks too.
  const mapped = ipv4Mapped.exec(clientIp)?.[1];
  return mapped !== undefined && list.check(mapped, 'ipv4');
}
