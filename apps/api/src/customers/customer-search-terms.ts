import { fold } from '../catalog/search-terms.js';

/**
 * Customer search works on terms, like product search (catalog/search-terms.ts, whose reasons apply):
 * the folded words of the name, the email, and the phone's digits without its +. A query matches a
 * customer when every word of it begins one of the customer's terms.
 */

const MAX_QUERY_WORDS = 5;
const MAX_TERM_LENGTH = 80;

const clip = (term: string) => term.slice(0, MAX_TERM_LENGTH);

/** Whitespace-separated chunks and, inside them, the runs of letters and digits. */
function words(text: string): string[] {
  const chunks = fold(text).split(/\s+/u).filter(Boolean);
  const parts = chunks.flatMap((c) => c.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return [...chunks, ...parts];
}

/** The distinct search terms of a customer. */
export function customerTerms(c: { name: string; email: string | null; phone: string | null }): string[] {
  const terms = [...words(c.name)];
  if (c.email) terms.push(fold(c.email));
  if (c.phone) terms.push(c.phone.replace(/^\+/, ''));
  return [...new Set(terms.map(clip))];
}

export interface CustomerQuery {
  /** Folded words; each must begin a term. */
  words: string[];
  /** When the whole query looks like a phone number: its digits, which may begin the phone instead. */
  phoneDigits?: string | undefined;
}

/** What a `q` asks for (at most five words; the rest are ignored). */
export function customerQuery(q: string): CustomerQuery {
  const folded = fold(q).split(/\s+/u).filter(Boolean);
  const query: CustomerQuery = { words: [...new Set(folded.map(clip))].slice(0, MAX_QUERY_WORDS) };
  if (/^\+?[0-9\s().\-/]+$/.test(q.trim()) && /[0-9]/.test(q)) {
    query.phoneDigits = clip(q.replace(/[^0-9]/g, ''));
  }
  return query;
}
