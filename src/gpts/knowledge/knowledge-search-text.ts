// Text as the full-text indexes see it. Neither FTS5's unicode61 tokenizer nor PostgreSQL's
// 'simple' configuration splits Chinese, Japanese or Korean into words, so each such character
// is made a word of its own (on PostgreSQL the generated column does the same in SQL); and a
// user's question becomes a query of quoted terms, so FTS5 syntax in it ("C++", quotes, AND,
// NEAR, a colon) is never parsed as syntax.

const cjkCharacter = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])/gu;
const searchTerm = /[\p{L}\p{N}]+/gu;
/** A question of many words still makes a short query: the first terms carry it. */
const maximumQueryTerms = 32;
// English words that occur in nearly every passage: they add almost nothing to a BM25 score but
// make the index visit almost every chunk. Dropped unless the query has nothing else.
const stopWords = new Set(
  'a an and are as at be but by can do does for from has have how i if in into is it its me my of on or our so than that the their them then there these they this to was we were what when where which who why will with would you your'.split(' '),
);

export function searchableText(text: string): string {
  return text.replace(cjkCharacter, ' $1 ');
}

/** The distinct words of a query, lower-cased, CJK characters one by one, stop words left out; empty when it has none. */
export function queryTerms(query: string): readonly string[] {
  const terms = new Set<string>();
  const common = new Set<string>();
  for (const match of searchableText(query).toLowerCase().matchAll(searchTerm)) {
    if (stopWords.has(match[0])) common.add(match[0]);
    else terms.add(match[0]);
    if (terms.size >= maximumQueryTerms) break;
  }
  return terms.size > 0 ? [...terms] : [...common].slice(0, maximumQueryTerms);
}

/** An FTS5 MATCH expression: one or more of the terms, each a quoted string (quotes cannot occur in a term). */
export function fullTextMatchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term}"`).join(' OR ');
}

/** A PostgreSQL to_tsquery expression: one or more of the terms (letters and digits only, so nothing to escape). */
export function postgresQueryExpression(terms: readonly string[]): string {
  return terms.join(' | ');
}
