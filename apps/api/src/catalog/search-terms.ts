/**
 * Product search works on terms: the words of a product's name, its SKU and its barcodes, folded to
 * lower case without accents. A query matches a product when every word of the query begins one of
 * its terms ("choc milk" finds "Milk chocolate"; "4006" finds barcode 4006381333931).
 *
 * Why not ILIKE with a trigram index: under row-level security PostgreSQL only uses an index for
 * conditions whose operator is LEAKPROOF, and LIKE/ILIKE/pg_trgm/full-text operators are not, so a
 * trigram index is never used by the app role. starts_with() (^@) is leakproof and served by a
 * text_pattern_ops btree index, so prefix search on a terms table stays an index range scan.
 */

const MAX_QUERY_WORDS = 5;
const MAX_TERM_LENGTH = 80;

/** Lower case, accents removed (NFKD + drop combining marks): "Crème Brûlée" → "creme brulee". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Whitespace-separated chunks and, inside them, the runs of letters and digits. */
function words(text: string): string[] {
  const chunks = fold(text).split(/\s+/u).filter(Boolean);
  const parts = chunks.flatMap((c) => c.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return [...chunks, ...parts];
}

/** The distinct search terms of a product. */
export function productTerms(p: {
  name: string;
  sku: string;
  barcodes: readonly { code: string }[];
}): string[] {
  const terms = [...words(p.name), fold(p.sku), ...p.barcodes.map((b) => fold(b.code))];
  return [...new Set(terms.map((t) => t.slice(0, MAX_TERM_LENGTH)))];
}

/** The words of a query, each of which must begin a term (at most five, the rest are ignored). */
export function queryWords(q: string): string[] {
  const folded = fold(q).split(/\s+/u).filter(Boolean);
  return [...new Set(folded.map((w) => w.slice(0, MAX_TERM_LENGTH)))].slice(0, MAX_QUERY_WORDS);
}
