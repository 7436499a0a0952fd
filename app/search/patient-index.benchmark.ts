import { createPatientIndex, loadPatientIndex, type PatientIndex } from './patient-index';
import type { PatientSearchEntry } from './search-entry';
import {
  generateSyntheticPatients,
  misspeltNameQuery,
  pick,
  seededRandom,
  stripAccents,
  type Random,
} from './synthetic-patients';

/**
 * How the patient index performs on a register of made-up patients: build,
 * snapshot and reload times, and search latency over queries a clerk would
 * type. Runs in any runtime (performance.now is global in Node, browsers and
 * workers), so the same figures can be taken on a clinic's own hardware.
 */

export const queryKinds = ['misspeltName', 'accentsDropped', 'namePrefix', 'clinicNumber', 'phoneFragment'] as const;
export type QueryKind = (typeof queryKinds)[number];

/** Share of the benchmark queries of each kind, out of 1,000. */
const queryMix: Readonly<Record<QueryKind, number>> = {
  misspeltName: 450,
  accentsDropped: 100,
  namePrefix: 150,
  clinicNumber: 200,
  phoneFragment: 100,
};

interface BenchmarkQuery {
  kind: QueryKind;
  text: string;
  target: PatientSearchEntry;
}

export interface LatencyFigures {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface PatientIndexBenchmark {
  patients: number;
  queries: number;
  buildMs: number;
  toJsonMs: number;
  jsonBytes: number;
  loadMs: number;
  search: LatencyFigures;
  searchByKind: Record<QueryKind, LatencyFigures & { queries: number; foundInTop10: number }>;
  /** Share of misspelt-name queries whose patient is among the first 10 hits. */
  recall: number;
  /**
   * The same, counting as found a query whose first 10 hits are all patients
   * with exactly the target's typed name: nothing in the query could rank the
   * target above its namesakes.
   */
  recallAllowingNamesakes: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

function latency(times: readonly number[]): LatencyFigures {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), maxMs: round(sorted.at(-1) ?? 0) };
}

function clinicNumberQuery(entry: PatientSearchEntry, random: Random): string {
  const number = entry.clinicNumber;
  const roll = random();
  if (roll < 0.3) return number;
  if (roll < 0.55) return number.replace(/-/g, '').toLowerCase();
  if (roll < 0.75) return number.toLowerCase();
  // Still typing: the first 4 to 8 characters.
  return number.replace(/-/g, '').slice(0, 4 + Math.floor(random() * 5));
}

function phoneQuery(phone: string, random: Random): string {
  const digits = phone.replace(/\D/g, '');
  if (phone.startsWith('+') && random() < 0.5) {
    // Read out in national format: trunk 0 and the last 9 digits, in groups.
    const national = `0${digits.slice(-9)}`;
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  }
  return digits.slice(-(6 + Math.floor(random() * 4)));
}

function namePrefixQuery(entry: PatientSearchEntry, random: Random): string {
  const given = stripAccents(entry.givenNames.split(' ')[0] ?? entry.givenNames);
  const family = stripAccents(entry.familyName);
  return `${given} ${family.slice(0, Math.min(family.length, 3 + Math.floor(random() * 2)))}`;
}

function makeQuery(kind: QueryKind, patients: readonly PatientSearchEntry[], random: Random): BenchmarkQuery {
  for (;;) {
    const target = pick(random, patients);
    let text: string | undefined;
    switch (kind) {
      case 'misspeltName':
        text = misspeltNameQuery(target, random);
        break;
      case 'accentsDropped': {
        const name = `${target.givenNames} ${target.familyName}`;
        text = stripAccents(name) === name ? undefined : stripAccents(name);
        break;
      }
      case 'namePrefix':
        text = namePrefixQuery(target, random);
        break;
      case 'clinicNumber':
        text = clinicNumberQuery(target, random);
        break;
      case 'phoneFragment':
        text = target.phone === undefined ? undefined : phoneQuery(target.phone, random);
        break;
    }
    if (text !== undefined) return { kind, text, target };
  }
}

function makeQueries(patients: readonly PatientSearchEntry[], random: Random): BenchmarkQuery[] {
  const queries = queryKinds.flatMap((kind) => Array.from({ length: queryMix[kind] }, () => makeQuery(kind, patients, random)));
  // Interleaved, as at a real desk, so no kind benefits from a warm cache of its own.
  for (let i = queries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [queries[i], queries[j]] = [queries[j] as BenchmarkQuery, queries[i] as BenchmarkQuery];
  }
  return queries;
}

function foldedName(entry: PatientSearchEntry): string {
  return stripAccents(`${entry.givenNames.split(' ')[0] ?? ''} ${entry.familyName}`).toLowerCase();
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

/** Builds an index of `count` synthetic patients, snapshots and reloads it, and times 1,000 searches on the reloaded copy. */
export function runPatientIndexBenchmark(count: number, seed = 20240601): PatientIndexBenchmark {
  const patients = generateSyntheticPatients(count, seed);
  const random = seededRandom(seed + 1);
  const queries = makeQueries(patients, random);

  const built = createPatientIndex();
  const [, buildMs] = time(() => built.addAll(patients));
  const [json, toJsonMs] = time(() => built.toJSON());
  const [index, loadMs] = time((): PatientIndex => loadPatientIndex(json));

  // A few searches first, as the desk does before timing matters.
  for (const query of queries.slice(0, 20)) index.search(query.text);

  const times: number[] = [];
  const timesByKind = new Map<QueryKind, number[]>(queryKinds.map((kind) => [kind, []]));
  const foundByKind = new Map<QueryKind, number>(queryKinds.map((kind) => [kind, 0]));
  let misspelt = 0;
  let misspeltFound = 0;
  let misspeltFoundOrNamesakes = 0;
  for (const query of queries) {
    const [hits, ms] = time(() => index.search(query.text));
    times.push(ms);
    timesByKind.get(query.kind)?.push(ms);
    const top10 = hits.slice(0, 10);
    const found = top10.some((hit) => hit.id === query.target.id);
    if (found) foundByKind.set(query.kind, (foundByKind.get(query.kind) ?? 0) + 1);
    if (query.kind === 'misspeltName') {
      misspelt += 1;
      if (found) misspeltFound += 1;
      const name = foldedName(query.target);
      if (found || (top10.length === 10 && top10.every((hit) => foldedName(hit.entry) === name))) misspeltFoundOrNamesakes += 1;
    }
  }

  const searchByKind = Object.fromEntries(
    queryKinds.map((kind) => [
      kind,
      { ...latency(timesByKind.get(kind) ?? []), queries: queryMix[kind], foundInTop10: foundByKind.get(kind) ?? 0 },
    ]),
  ) as PatientIndexBenchmark['searchByKind'];

  return {
    patients: count,
    queries: queries.length,
    buildMs: Math.round(buildMs),
    toJsonMs: Math.round(toJsonMs),
    jsonBytes: new TextEncoder().encode(json).length,
    loadMs: Math.round(loadMs),
    search: latency(times),
    searchByKind,
    recall: misspelt === 0 ? 0 : misspeltFound / misspelt,
    recallAllowingNamesakes: misspelt === 0 ? 0 : misspeltFoundOrNamesakes / misspelt,
  };
}
