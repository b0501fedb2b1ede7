// Keeps secrets out of the audit log: before/after snapshots are copied with every field that
// names a secret (a key, a hash, an API key, a credential, a password…) replaced by a marker,
// and any string that is itself a whole Modelmart key replaced too, wherever it sits.
import { apiKeyPrefix } from './api-key-format.js';

export const redactedMarker = '[redacted]';

/** Field names compared after lower-casing and dropping "_" and "-": apiKey, api_key and API-KEY are one. */
const secretFieldNames = new Set([
  'key',
  'apikey',
  'keyhash',
  'hash',
  'codehash',
  'code',
  'secret',
  'clientsecret',
  'password',
  'passphrase',
  'credential',
  'credentials',
  'ciphertext',
  'nonce',
  'authtag',
  'authorization',
  'token',
  'accesstoken',
  'refreshtoken',
  'encryptionkey',
  'previousencryptionkeys',
  'privatekey',
]);
const secretFieldPattern = /(secret|password|apikey|hash$|token$|credential)/;
const wholeKeyPattern = new RegExp(`^${apiKeyPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[A-Za-z0-9_-]{20,}$`);
/** Deeper nesting than any admin object has is cut rather than walked (and cycles end here). */
const maximumDepth = 12;

function isSecretField(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[_-]/g, '');
  return secretFieldNames.has(normalised) || secretFieldPattern.test(normalised);
}

/** A JSON-safe copy of `value` with secrets replaced; undefined stays undefined. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return wholeKeyPattern.test(value) ? redactedMarker : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (depth >= maximumDepth) return redactedMarker;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item, depth + 1) ?? null);
  if (typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function') continue;
      copy[name] = isSecretField(name) && item !== null ? redactedMarker : redactSecrets(item, depth + 1);
    }
    return copy;
  }
  return undefined;
}
