// What an API key looks like and how it is stored: `mm-` + 32 random bytes (base64url),
// kept only as an HMAC-SHA-256 under the server secret and compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../core/index.js';

export const apiKeyPrefix = 'mm-';
const keyEntropyBytes = 32;

export function generateApiKey(): string {
  return `${apiKeyPrefix}${randomToken(keyEntropyBytes)}`;
}

export function hashApiKey(key: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

export function hashesEqual(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'hex');
  const rightBytes = Buffer.from(right, 'hex');
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}

/** Enough of the key to recognise it in a list, never enough to use it. */
export function displayHint(key: string): string {
  return `${key.slice(0, 7)}…${key.slice(-4)}`;
}
