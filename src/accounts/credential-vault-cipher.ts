// AES-256-GCM sealing of provider credentials. Each secret gets a fresh 12-byte nonce and is
// bound to its provider id (associated data), so a row copied onto another provider fails to
// open. Keys are named by the first 8 hex digits of their SHA-256, stored beside each row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../config/index.js';
import { ModelmartError } from '../core/index.js';

export const encryptionKeyVariable = 'MODELMART_ENCRYPTION_KEY';
const algorithm = 'aes-256-gcm';
const keyBytes = 32;
const nonceBytes = 12;
const authTagBytes = 16;

export interface EncryptionKey {
  /** First 8 hex digits of the key's SHA-256: identifies it without revealing it. */
  readonly id: string;
  readonly bytes: Buffer;
}

/** A sealed secret as stored: every field base64 except the key id. */
export interface SealedSecret {
  readonly ciphertext: string;
  readonly nonce: string;
  readonly authTag: string;
  readonly keyId: string;
}

export function encryptionKeyId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

/** Decodes a base64 key of exactly 32 bytes; `source` names the setting in the error. */
export function parseEncryptionKey(text: string, source: string): EncryptionKey {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  const canonical = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || /^[A-Za-z0-9_-]+$/.test(trimmed);
  if (!canonical || bytes.length !== keyBytes) {
    throw new ConfigError(
      [`${source}: expected base64 of exactly ${keyBytes} random bytes (make one with: openssl rand -base64 32), got ${canonical ? `${bytes.length} bytes` : 'text that is not base64'}`],
      'security',
    );
  }
  return { id: encryptionKeyId(bytes), bytes };
}

export function seal(plaintext: string, key: EncryptionKey, associatedData: string): SealedSecret {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv(algorithm, key.bytes, nonce, { authTagLength: authTagBytes });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), nonce: nonce.toString('base64'), authTag: cipher.getAuthTag().toString('base64'), keyId: key.id };
}

function unreadable(message: string, cause?: unknown): ModelmartError {
  return new ModelmartError(500, message, { code: 'credential_unreadable', retryable: false, cause });
}

/** Opens a sealed secret with whichever of `keys` sealed it; throws a 500 that says why it cannot. */
export function open(sealed: SealedSecret, keys: readonly EncryptionKey[], associatedData: string): string {
  const key = keys.find((candidate) => candidate.id === sealed.keyId);
  if (key === undefined) {
    const known = keys.map((candidate) => candidate.id).join(', ') || 'none';
    throw unreadable(
      `The credential of ${JSON.stringify(associatedData)} was encrypted with key ${sealed.keyId}, which is neither ${encryptionKeyVariable} nor one of security.previousEncryptionKeys (configured: ${known}). Configure that key as a previous key, or store the credential again.`,
    );
  }
  try {
    const decipher = createDecipheriv(algorithm, key.bytes, Buffer.from(sealed.nonce, 'base64'), { authTagLength: authTagBytes });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw unreadable(`The credential of ${JSON.stringify(associatedData)} failed its integrity check under key ${key.id}: the row was altered or belongs to another provider. Store the credential again.`, error);
  }
}
