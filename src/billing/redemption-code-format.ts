// What a redemption code looks like: `MMR-` and four groups of four characters from an alphabet
// without look-alikes (80 random bits). Typed codes are forgiving: case, spaces and the letters
// O, I and L (read as 0, 1 and 1) do not matter. Only an HMAC of the canonical form is stored.
import { randomBytes } from 'node:crypto';

const codePrefix = 'MMR';
// 32 symbols, so one random byte's low five bits pick a symbol without bias.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const symbolCount = 16;

function format(symbols: string): string {
  return `${codePrefix}-${symbols.match(/.{4}/g)?.join('-') ?? symbols}`;
}

export function generateRedemptionCode(): string {
  const bytes = randomBytes(symbolCount);
  let symbols = '';
  for (const byte of bytes) symbols += alphabet[byte & 31];
  return format(symbols);
}

/** The canonical form of a typed code, or undefined when it cannot be one of ours. */
export function canonicalRedemptionCode(typed: string): string | undefined {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  if (!compact.startsWith(codePrefix)) return undefined;
  const symbols = compact.slice(codePrefix.length).replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== symbolCount || [...symbols].some((symbol) => !alphabet.includes(symbol))) return undefined;
  return format(symbols);
}

/** Enough to recognise a code in a list, never enough to use it. */
export function redemptionCodeHint(code: string): string {
  return `${codePrefix}-…-${code.slice(-4)}`;
}
