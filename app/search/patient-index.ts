import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { IdentifierTable } from './identifier-table';
import { decodeSnapshot, encodeSnapshot, PatientIndexSnapshotError } from './index-snapshot';
import { nameFields, planNameSearch, soundFields, spelledField, type SoundField } from './name-query';
import { foldText, indexNameTerms } from './name-terms';
import { pickSearchEntry, type PatientSearchEntry } from './search-entry';
import { selectBest } from './select-best';
import { soundKey } from './sound-key';

export type { PatientSearchEntry } from './search-entry';
export { PatientIndexSnapshotError } from './index-snapshot';

export interface PatientSearchHit {
  id: string;
  /**
   * Higher is better; only comparable within one search. Whole clinic
   * numbers and national IDs score in (2, 3], matches of the kind the query
   * looks like (identifiers when it has a digit, names otherwise) in (1, 2],
   * the other kind in (0, 1].
   */
  score: number;
  entry: Readonly<PatientSearchEntry>;
}

export interface PatientIndex {
  /** Adds a patient; throws if the id is already indexed (use `replace`). */
  add(entry: PatientSearchEntry): void;
  /** Adds many patients; throws, adding none, if any id is already indexed or repeated. */
  addAll(entries: Iterable<PatientSearchEntry>): void;
  /** Adds the patient, or updates every searchable field of the one with this id. */
  replace(entry: PatientSearchEntry): void;
  /** Removes the patient with this id, if indexed. */
  remove(id: string): void;
  /** The indexed entry of this patient, if any. */
  get(id: string): Readonly<PatientSearchEntry> | undefined;
  /** Every indexed entry, in no particular order (an import matches its patients against them). */
  entries(): IterableIterator<Readonly<PatientSearchEntry>>;
  /** Best matches first, at most `limit`; none for an empty query. */
  search(query: string, limit?: number): PatientSearchHit[];
  readonly size: number;
  clear(): void;
  /** A snapshot for {@link loadPatientIndex}. It holds names and identifiers: seal it before storing. */
  toJSON(): string;
}

/** Search as you type shows one screen of results, not the whole register. */
export const defaultSearchLimit = 20;

const miniSearchOptions: Options<PatientSearchEntry> = {
  idField: 'id',
  fields: [...nameFields, ...soundFields],
  extractField: (entry, field) => (isSoundField(field) ? entry[spelledField[field]] : entry[field as keyof PatientSearchEntry]),
  tokenize: indexNameTerms,
  // Sound fields hold a term's sound key (sound-key.ts) where it differs from the spelling; a lone "h" has none.
  processTerm: (term, field) => {
    if (field === undefined || !isSoundField(field)) return term;
    const key = soundKey(term);
    return key === '' || key === term ? null : key;
  },
  // Queries are built from terms already folded and keyed by name-query.ts.
  searchOptions: { tokenize: (query) => query.split(' '), processTerm: (term) => term },
  // MiniSearch's warnings quote indexed terms, that is patient names, which
  // must not reach a console or a log.
  logger: () => undefined,
};

function isSoundField(field: string): field is SoundField {
  return (soundFields as readonly string[]).includes(field);
}

/** Ties (namesakes, or many names sharing a typed prefix) are listed alphabetically. */
function tieBreakKey(entry: PatientSearchEntry): string {
  return `${foldText(entry.familyName)}\u0000${foldText(entry.givenNames)}\u0000${entry.id}`;
}

function createIndex(names: MiniSearch<PatientSearchEntry>, initial: readonly PatientSearchEntry[]): PatientIndex {
  const entries = new Map<string, PatientSearchEntry>();
  const identifiers = new IdentifierTable();
  // Built on demand: most entries never tie in a search, and computing them all would slow loading.
  const tieBreakKeys = new Map<string, string>();

  const store = (entry: PatientSearchEntry) => {
    entries.set(entry.id, entry);
    identifiers.set(entry);
    tieBreakKeys.delete(entry.id);
  };
  for (const entry of initial) store(entry);

  const tieKey = (id: string, entry: PatientSearchEntry) => {
    let key = tieBreakKeys.get(id);
    if (key === undefined) {
      key = tieBreakKey(entry);
      tieBreakKeys.set(id, key);
    }
    return key;
  };

  /** As typed or by sound: "Mary P" keeps Phiri while the "h" is yet to come, "Mary Ph" keeps Firi. */
  const hasWordStarting = (id: string, prefix: string) => {
    const entry = entries.get(id);
    if (entry === undefined) return false;
    const keyPrefix = soundKey(prefix);
    return indexNameTerms(`${entry.givenNames} ${entry.familyName}`).some(
      (term) => term.startsWith(prefix) || (keyPrefix !== '' && soundKey(term).startsWith(keyPrefix)),
    );
  };

  const nameResults = (query: string): SearchResult[] => {
    const plan = planNameSearch(query);
    if (!plan) return [];
    const all = names.search(plan.all);
    const prefix = plan.narrowByPrefix;
    const narrowed = prefix === undefined ? all : all.filter((result) => hasWordStarting(String(result.id), prefix));
    if (narrowed.length > 0) return narrowed;
    // Nobody matches every word: anyone matching some word will do, except
    // the short fragment alone, which matches too many to be of use.
    return plan.any ? names.search(plan.any) : all;
  };

  const index: PatientIndex = {
    add(entry) {
      if (entries.has(entry.id)) throw new Error('patient index: id already indexed');
      const picked = pickSearchEntry(entry);
      names.add(picked);
      store(picked);
    },

    addAll(batch) {
      const picked = Array.from(batch, pickSearchEntry);
      const ids = new Set<string>();
      for (const entry of picked) {
        if (entries.has(entry.id) || ids.has(entry.id)) throw new Error('patient index: id already indexed');
        ids.add(entry.id);
      }
      names.addAll(picked);
      for (const entry of picked) store(entry);
    },

    replace(entry) {
      const picked = pickSearchEntry(entry);
      // discard() needs no copy of the old entry; MiniSearch cleans up lazily.
      if (entries.has(picked.id)) names.discard(picked.id);
      names.add(picked);
      store(picked);
    },

    remove(id) {
      if (!entries.has(id)) return;
      names.discard(id);
      entries.delete(id);
      identifiers.delete(id);
      tieBreakKeys.delete(id);
    },

    get(id) {
      return entries.get(id);
    },

    entries() {
      return entries.values();
    },

    search(query, limit = defaultSearchLimit) {
      if (query.trim() === '' || !(limit >= 1)) return [];
      const best = new Map<string, number>();
      const offer = (id: string, score: number) => {
        if (score > (best.get(id) ?? 0)) best.set(id, score);
      };
      const identifierFirst = /\d/.test(query);

      for (const match of identifiers.find(query.trim())) {
        offer(match.id, (match.exact ? 2 : identifierFirst ? 1 : 0) + match.quality);
      }
      const results = nameResults(query);
      const top = results[0]?.score ?? 1;
      for (const result of results) {
        offer(String(result.id), (identifierFirst ? 0 : 1) + result.score / top);
      }

      const candidates: PatientSearchHit[] = [];
      for (const [id, score] of best) {
        const entry = entries.get(id);
        if (entry) candidates.push({ id, score, entry });
      }
      return selectBest(candidates, Math.floor(limit), (a, b) => b.score - a.score || compareText(tieKey(a.id, a.entry), tieKey(b.id, b.entry)));
    },

    get size() {
      return entries.size;
    },

    clear() {
      names.removeAll();
      entries.clear();
      identifiers.clear();
      tieBreakKeys.clear();
    },

    toJSON() {
      return encodeSnapshot(entries.values(), names.toJSON());
    },
  };
  return index;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** An empty index. */
export function createPatientIndex(): PatientIndex {
  return createIndex(new MiniSearch(miniSearchOptions), []);
}

/**
 * Restores an index from {@link PatientIndex.toJSON} without re-indexing the
 * names, which is most of the cost of building one. Throws
 * PatientIndexSnapshotError when the snapshot is malformed or from another
 * format version; the caller then rebuilds from the patient store.
 */
export function loadPatientIndex(json: string): PatientIndex {
  const snapshot = decodeSnapshot(json);
  let names: MiniSearch<PatientSearchEntry>;
  try {
    names = MiniSearch.loadJS(snapshot.names, miniSearchOptions);
  } catch {
    throw new PatientIndexSnapshotError('malformed name index');
  }
  return createIndex(names, snapshot.entries);
}
