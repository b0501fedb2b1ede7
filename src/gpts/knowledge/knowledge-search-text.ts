// Text as the full-text indexes see it. Neither FTS5's unicode61 tokenizer nor PostgreSQL's
// 'simple' configuration splits Chinese, Japanese or Korean into words, so each such character
// is made a word of its own (on PostgreSQL the generated column does the same in SQL); and a
// user's question becomes a query of quoted terms, so FTS5 syntax in it ("C++", quotes, AND,
// NEAR, a colon) is never parsed as syntax.

const cjkCharacter = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])/gu;
const searchTerm = /[\p{L}\p{N}]+/gu;
/** A question of many words still makes a short query: the first terms carry it. */
const maximumQueryTerms = 32;

export function searchableText(text: string): string {
  return text.replace(cjkCharacter, ' $1 ');
}

/** The distinct words of a query, lower-cased, CJK characters one by one; empty when it has none. */
export function queryTerms(query: string): readonly string[] {
  const terms = new Set<string>();
  for (const match of searchableText(query).toLowerCase().matchAll(searchTerm)) {
    terms.add(match[0]);
    if (terms.size >= maximumQueryTerms) break;
  }
  return [...terms];
}

/** An FTS5 MATCH expression: any of the terms, each a quoted string (quotes cannot occur in a term). */
export function fullTextMatchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term}"`).join(' OR ');
}

/** A PostgreSQL to_tsquery expression: any of the terms (letters and digits only, so nothing to escape). */
export function postgresQueryExpression(terms: readonly string[]): string {
  return terms.join(' | ');
}
