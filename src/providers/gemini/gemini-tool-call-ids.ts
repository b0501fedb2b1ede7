// Tool call ids for Gemini function calls. Gemini mints no ids, and its thinking models attach a
// thoughtSignature to function calls that must come back with the call in the next turn (Gemini 3
// refuses the request otherwise). OpenAI clients replay only the id, so the signature rides in it.
import { randomToken } from '../../core/index.js';

const signatureMarker = '_ts_';
// `call_`, 16 random base64url characters, then optionally the marker and the signature.
const idPattern = /^call_[A-Za-z0-9_-]{16}_ts_([A-Za-z0-9_-]+)$/;

export function newGeminiToolCallId(thoughtSignature: string | undefined): string {
  const id = `call_${randomToken(12)}`;
  if (thoughtSignature === undefined || thoughtSignature === '') return id;
  // base64url keeps the id within the characters every vendor accepts in tool ids.
  const signature = thoughtSignature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${id}${signatureMarker}${signature}`;
}

/** The thoughtSignature carried in an id minted by newGeminiToolCallId, in standard base64. */
export function thoughtSignatureFromToolCallId(id: string): string | undefined {
  const match = idPattern.exec(id);
  if (match?.[1] === undefined) return undefined;
  const standard = match[1].replace(/-/g, '+').replace(/_/g, '/');
  return standard.padEnd(Math.ceil(standard.length / 4) * 4, '=');
}
