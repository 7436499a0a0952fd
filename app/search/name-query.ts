import type { Query, QueryCombination } from 'minisearch';
import { queryNameTerms } from './name-terms';
import { soundKey } from './sound-key';

export const nameFields = ['givenNames', 'familyName'] as const;
/**
 * The same names by sound key, only where the key differs from the spelling
 * ("phiri" has "firi" here; "banda" has nothing): most names need none, and
 * each extra posting costs scoring time in every search.
 */
export const soundFields = ['givenNamesSound', 'familyNameSound'] as const;
export type SoundField = (typeof soundFields)[number];
export const spelledField: Readonly<Record<SoundField, (typeof nameFields)[number]>> = {
  givenNamesSound: 'givenNames',
  familyNameSound: 'familyName',
};

/**
 * Typos tolerated in a query term, by its length: none up to 3 letters (too
 * many short names are one letter apart), 1 up to 6, then 2.
 */
function editsAllowed(term: string): number {
  if (term.length <= 3) return 0;
  return term.length <= 6 ? 1 : 2;
}

/**
 * Swapping two neighbouring letters is the commonest typing slip, but
 * MiniSearch counts edits by Levenshtein distance, where a swap costs 2. For
 * terms allowed one edit, the swapped spellings are looked up as well; longer
 * terms are allowed 2 edits, which already cover a swap.
 */
function adjacentSwaps(term: string): string[] {
  const swaps = new Set<string>();
  for (let i = 0; i + 1 < term.length; i += 1) {
    const swapped = term.slice(0, i) + term.charAt(i + 1) + term.charAt(i) + term.slice(i + 2);
    if (swapped !== term) swaps.add(swapped);
  }
  return [...swaps];
}

/** Scored like MiniSearch's own fuzzy matches (its default fuzzy weight). */
const swapWeight = 0.45;

/**
 * Matches by sound score below any match of the spelling, even a fuzzy one
 * plus a sound match (0.45 + 0.5 < 1): "Mohamed" lists the Mohameds before
 * the Mohammeds, "Firi" lists Firi before Phiri.
 */
const soundWeight = 0.5;

/**
 * One typed word: as spelt, with the usual typo tolerance, among the names'
 * spellings; and by its sound key ("moussa" and "musa" are both "musa"),
 * among the keys of names spelt otherwise and, when the typed spelling is
 * not its own key, among spellings too. Typos are forgiven against the
 * spelling, sound-alike spellings through the key. Keys match whole: one
 * exact lookup, and a word still being typed is matched by its spelling.
 */
function termQuery(term: string, prefix: boolean): QueryCombination {
  const edits = editsAllowed(term);
  const asTyped: QueryCombination = { queries: [term], fuzzy: edits, prefix };
  const swaps = edits === 1 ? adjacentSwaps(term) : [];
  const alternatives: Query[] = [asTyped];
  if (swaps.length > 0) {
    alternatives.push({
      combineWith: 'OR',
      queries: [swaps.join(' ')],
      fuzzy: false,
      prefix,
      boost: Object.fromEntries(nameFields.map((field) => [field, swapWeight])),
    });
  }
  const key = soundKey(term);
  if (key !== '') {
    // "firi" is its own key: names spelt "firi" were found above, Phiri is among the keys.
    const fields = key === term ? [...soundFields] : [...nameFields, ...soundFields];
    alternatives.push({
      combineWith: 'OR',
      fields,
      queries: [key],
      fuzzy: false,
      prefix: false,
      boost: Object.fromEntries(fields.map((field) => [field, soundWeight])),
    });
  }
  return alternatives.length === 1 ? asTyped : { combineWith: 'OR', queries: alternatives };
}

/**
 * A prefix this short would expand to a large share of all names (every name
 * starting with "d"), which takes tens of milliseconds per keystroke with
 * 100,000 patients and narrows nothing on its own.
 */
const minPrefixExpansion = 3;

export interface NameSearchPlan {
  /** Preferred: every term matches. */
  all: Query;
  /** Fallback when `all` finds nobody: any term matches. */
  any: Query | undefined;
  /**
   * A 1- or 2-letter word still being typed after other words: the results
   * of the other words are narrowed to names with a word starting with it.
   */
  narrowByPrefix: string | undefined;
}

/**
 * How to search names for a typed query; undefined when it has no name
 * terms. Terms with digits are left out: names have none, so such a term is
 * an identifier fragment and would make "every term" fail.
 */
export function planNameSearch(query: string): NameSearchPlan | undefined {
  const terms = queryNameTerms(query);
  const hasDigit = (term: string) => /\d/.test(term);
  const words = terms.filter((term) => !hasDigit(term));
  // Only the last word can be unfinished, and not when a space follows it.
  const last = terms.at(-1);
  const typing = last !== undefined && !hasDigit(last) && !/\s$/.test(query);
  let narrowByPrefix: string | undefined;
  if (typing && last.length < minPrefixExpansion && words.length > 1) narrowByPrefix = words.pop();
  if (words.length === 0) return undefined;
  const prefixLast = typing && narrowByPrefix === undefined && last.length >= minPrefixExpansion;
  const queries = words.map((term, i) => termQuery(term, prefixLast && i === words.length - 1));
  return {
    all: { combineWith: 'AND', fields: [...nameFields], queries },
    any: words.length > 1 ? { combineWith: 'OR', fields: [...nameFields], queries } : undefined,
    narrowByPrefix,
  };
}
