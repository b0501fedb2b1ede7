// Identifiers: random, URL-safe, prefixed by what they name so a log line explains itself.
import { randomBytes } from 'node:crypto';

export function randomToken(byteCount: number): string {
  return randomBytes(byteCount).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomToken(12)}`;
}

// Request ids are made for every request: a random per-process prefix and a counter give
// unique ids without asking the system for random bytes each time.
const requestIdPrefix = `req_${randomToken(6)}`;
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter += 1;
  return `${requestIdPrefix}${requestCounter.toString(36).padStart(6, '0')}`;
}

// Ids made many times a second (ledger postings, usage transactions): the same scheme, per prefix.
const sequentialPrefix = randomToken(9);
let sequentialCounter = 0;

export function newSequentialId(prefix: string): string {
  sequentialCounter += 1;
  return `${prefix}_${sequentialPrefix}${sequentialCounter.toString(36).padStart(7, '0')}`;
}

// A client's own request id is kept only when it is short and printable, so it cannot
// inject headers or bloat logs.
const acceptableRequestId = /^[\w.:@/+=-]{1,128}$/;

export function acceptRequestId(candidate: string | string[] | undefined): string | undefined {
  if (typeof candidate !== 'string') return undefined;
  return acceptableRequestId.test(candidate) ? candidate : undefined;
}
