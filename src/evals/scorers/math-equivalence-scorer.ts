// MATH answer extraction and equivalence, following the hendrycks reference: the last \boxed{…}
// (or \fbox{…}) of a solution, compared after the `strip_string` normalisation. A normalisation step
// that the reference would abort with an exception falls back, as there, to comparing raw strings.
import { invalidAnswer } from './gsm8k-scorer.js';

class NormalizationAborted extends Error {}

/** The last `\boxed{…}` with balanced braces, including the command itself; undefined when absent or unclosed. */
export function lastBoxedOnlyString(text: string): string | undefined {
  let start = text.lastIndexOf('\\boxed');
  if (start < 0) start = text.lastIndexOf('\\fbox');
  if (start < 0) return undefined;
  let open = 0;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (character === '{') open += 1;
    else if (character === '}') {
      open -= 1;
      if (open === 0) return text.slice(start, index + 1);
    }
  }
  return undefined;
}

/** The content of `\boxed{…}`; undefined for anything else (the reference's failed assertion). */
export function removeBoxed(boxed: string): string | undefined {
  const prefix = '\\boxed{';
  if (!boxed.startsWith(prefix) || !boxed.endsWith('}')) return undefined;
  return boxed.slice(prefix.length, -1);
}

function fixFractions(text: string): string {
  const parts = text.split('\\frac');
  let rebuilt = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    rebuilt += '\\frac';
    if (part.length === 0) throw new NormalizationAborted('empty \\frac');
    if (part[0] === '{') {
      rebuilt += part;
      continue;
    }
    if (part.length < 2) return text;
    const numerator = part[0] ?? '';
    const second = part[1] ?? '';
    const rest = part.slice(2);
    rebuilt += second === '{' ? `{${numerator}}${second}${rest}` : `{${numerator}}{${second}}${rest}`;
  }
  return rebuilt;
}

function fixSlashFraction(text: string): string {
  const parts = text.split('/');
  if (parts.length !== 2) return text;
  const [numerator = '', denominator = ''] = parts;
  // Only canonical integers survive the reference's int() round trip ("{a}/{b}" must equal the input).
  const canonicalInteger = /^(?:0|-?[1-9][0-9]*)$/;
  if (!canonicalInteger.test(numerator) || !canonicalInteger.test(denominator)) return text;
  return `\\frac{${numerator}}{${denominator}}`;
}

function removeRightUnits(text: string): string {
  if (!text.includes('\\text{ ')) return text;
  const parts = text.split('\\text{ ');
  if (parts.length !== 2) throw new NormalizationAborted('several \\text{ } units');
  return parts[0] ?? '';
}

function fixSquareRoots(text: string): string {
  if (!text.includes('\\sqrt')) return text;
  const parts = text.split('\\sqrt');
  let rebuilt = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    if (part.length === 0) throw new NormalizationAborted('empty \\sqrt');
    rebuilt += part[0] === '{' ? `\\sqrt${part}` : `\\sqrt{${part[0] ?? ''}}${part.slice(1)}`;
  }
  return rebuilt;
}

/** The hendrycks `strip_string` normalisation; throws NormalizationAborted where the reference raises. */
export function stripMathAnswer(answer: string): string {
  let text = answer.replaceAll('\n', '').replaceAll('\\!', '').replaceAll('\\\\', '\\');
  text = text.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  text = text.replaceAll('\\left', '').replaceAll('\\right', '');
  text = text.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  text = text.replaceAll('\\$', '');
  text = removeRightUnits(text);
  text = text.replaceAll('\\%', '');
  text = text.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (text.length === 0) return text;
  if (text[0] === '.') text = `0${text}`;
  const sides = text.split('=');
  if (sides.length === 2 && (sides[0] ?? '').length <= 2) text = sides[1] ?? '';
  text = fixSquareRoots(text);
  text = text.replaceAll(' ', '');
  text = fixFractions(text);
  if (text === '0.5') text = '\\frac{1}{2}';
  return fixSlashFraction(text);
}

/** The reference `is_equiv`: two missing answers are equal, one missing is not. */
export function isMathEquivalent(first: string | undefined, second: string | undefined): boolean {
  if (first === undefined && second === undefined) return true;
  if (first === undefined || second === undefined) return false;
  try {
    return stripMathAnswer(first) === stripMathAnswer(second);
  } catch (error) {
    if (error instanceof NormalizationAborted) return first === second;
    throw error;
  }
}

/** The answer a model stated: the content of its last \boxed{}, or "[invalid]" when it boxed nothing. */
export function extractMathAnswer(output: string): string {
  const boxed = lastBoxedOnlyString(output);
  const content = boxed === undefined ? undefined : removeBoxed(boxed);
  return content ?? invalidAnswer;
}

export function scoreMathOutput(output: string, referenceAnswer: string | undefined): boolean {
  const boxed = lastBoxedOnlyString(output);
  const predicted = boxed === undefined ? undefined : removeBoxed(boxed);
  // A prediction with no box never matches, even a reference that also lacks one.
  if (predicted === undefined) return false;
  return isMathEquivalent(predicted, referenceAnswer);
}
