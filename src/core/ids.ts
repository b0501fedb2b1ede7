// Identifiers: random, URL-safe, prefixed by what they name so a log line explains itself.
import { randomBytes } from 'node:crypto';

export function randomToken(byteCount: number): string {
  return randomBytes(byteCount).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomToken(12)}`;
}

export function newRequestId(): string {
  return `req_${randomToken(12)}`;
}

// A client's own request id is kept only when it is short and printable, so it cannot
// inject headers or bloat logs.
const acceptableRequestId = /^[\w.:@/+=-]{1,128}$/;

export function acceptRequestId(candidate: string | string[] | undefined): string | undefined {
  if (typeof candidate !== 'string') return undefined;
  return acceptableRequestId.test(candidate) ? candidate : undefined;
}
