import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import type { AnonymizerConfig } from './anonymizer-config';
import { deidentifyResource, hashed, patientKeyOf, type DeidKeys } from './deid-engine';
import { r4ShapeProblem } from './r4-shape';
import { identifyingWords } from './record-words';

/** A record not shaped as FHIR R4 says: refused whole (`r4-shape.ts`). The message names the model's path, never a value. */
export class DeidInputError extends Error {
  constructor(readonly where: string) {
    super(`The record is not shaped as FHIR R4 says, at ${where}: it was not de-identified`);
    this.name = 'DeidInputError';
  }
}

function assertR4Shape(record: unknown): void {
  const problem = r4ShapeProblem(record);
  if (problem !== undefined) throw new DeidInputError(problem);
}

/** Resources whose names and numbers are a person's, or a place's and so an address. */
const aboutThePatient = new Set(['Patient', 'RelatedPerson']);
const aboutOthers = new Set(['Practitioner', 'PractitionerRole', 'Person', 'Organization', 'Location']);

type Json = Record<string, unknown>;

const bundleTypes = new Set(['document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection']);
const httpMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** A Bundle's entries that are objects (a malformed `entry` is read as none). */
export function entriesOf(bundle: Json): Json[] {
  const entries = bundle['entry'];
  return Array.isArray(entries) ? entries.filter((entry): entry is Json => typeof entry === 'object' && entry !== null && !Array.isArray(entry)) : [];
}

export interface DeidentifierOptions {
  now?: Date;
  /** The clinic's country, for phone numbers as written there; when not given, the one most patients' addresses name. */
  country?: CountryCode | undefined;
  /** Scrub free text after the rules: always, but for the benchmark's ceiling (the same engine doing nothing). */
  scrubFreeText?: boolean;
}

/**
 * De-identifies a set of records that belong together (an export, a
 * contribution): first `learn` sees every resource and keeps each patient's
 * identifying words, and those of staff, places and organisations, for the
 * free-text sweep; then `resource` and `bundle` de-identify with them. A
 * note in an Observation is scrubbed of the names in its Patient even when
 * the two come in different files.
 */
export class Deidentifier {
  private readonly words = new Map<string, Set<string>>();
  private readonly othersWords = new Set<string>();
  private readonly countries = new Map<string, number>();
  private readonly knownLists = new Map<string, readonly string[]>();

  constructor(
    private readonly config: AnonymizerConfig,
    private readonly keys: DeidKeys,
    private readonly options: DeidentifierOptions = {},
  ) {}

  /** The patient a resource belongs to, as the others refer to them: its bundle `fullUrl` when that is a `urn:uuid:`. */
  patientKey(resource: Json, fullUrl?: string): string {
    if (resource['resourceType'] === 'Patient' && fullUrl?.startsWith('urn:uuid:')) return fullUrl;
    return patientKeyOf(resource);
  }

  /** Keeps the identifying words of a resource for the sweep (first pass). */
  learn(resource: Json, fullUrl?: string): void {
    this.knownLists.clear();
    const type = resource['resourceType'];
    if (typeof type !== 'string') return;
    if (aboutThePatient.has(type)) {
      const key = this.patientKey(resource, fullUrl);
      const words = this.words.get(key) ?? new Set<string>();
      for (const word of identifyingWords(resource)) words.add(word);
      this.words.set(key, words);
      if (type === 'Patient') {
        for (const address of (resource['address'] as Json[] | undefined) ?? []) {
          const country = typeof address['country'] === 'string' ? address['country'].toUpperCase() : undefined;
          if (country !== undefined) this.countries.set(country, (this.countries.get(country) ?? 0) + 1);
        }
      }
    } else if (aboutOthers.has(type)) {
      for (const word of identifyingWords(resource)) this.othersWords.add(word);
    }
  }

  learnBundle(bundle: Json): void {
    for (const entry of entriesOf(bundle)) {
      const resource = entry['resource'];
      if (typeof resource === 'object' && resource !== null) this.learn(resource as Json, typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined);
    }
  }

  /** The patient's words and everyone else's, as one list kept per patient (the sweep compiles its pattern once per list). */
  private knownFor(patientKey: string): readonly string[] {
    let known = this.knownLists.get(patientKey);
    if (known === undefined) {
      known = [...(this.words.get(patientKey) ?? []), ...this.othersWords];
      this.knownLists.set(patientKey, known);
    }
    return known;
  }

  /** The country whose phone formats the sweep knows: given, or the one most patients' addresses name. */
  get country(): CountryCode | undefined {
    if (this.options.country !== undefined) return this.options.country;
    const [top] = [...this.countries.entries()].sort((a, b) => b[1] - a[1]);
    return top !== undefined && isSupportedCountry(top[0]) ? top[0] : undefined;
  }

  async resource(resource: Json, fullUrl?: string): Promise<Json | undefined> {
    assertR4Shape(resource);
    const patientKey = this.patientKey(resource, fullUrl);
    const known = this.knownFor(patientKey);
    const scrub = this.options.scrubFreeText === false ? undefined : { known, country: this.country };
    return deidentifyResource(resource, this.config, this.keys, { now: this.options.now, scrub, patientKey });
  }

  /**
   * A Bundle's entries de-identified, `fullUrl` and `request.url` hashed as
   * references are, so the bundle stays linked; what a bundle says about
   * its own making (identifier, timestamp, links, signature, responses,
   * conditional headers that may hold identifiers) goes.
   */
  async bundle(bundle: Json, each: (resource: Json, fullUrl: string | undefined) => Promise<Json | undefined> = (resource, fullUrl) => this.resource(resource, fullUrl)): Promise<Json> {
    assertR4Shape(bundle);
    if (!bundleTypes.has(bundle['type'] as string)) throw new DeidInputError('Bundle.type');
    const out: Json = { resourceType: 'Bundle', type: bundle['type'] };
    if (typeof bundle['id'] === 'string') out['id'] = hashed(this.keys.hash, bundle['id']);
    if (typeof bundle['total'] === 'number') out['total'] = bundle['total'];
    const entries: Json[] = [];
    for (const entry of entriesOf(bundle)) {
      const next: Json = {};
      const fullUrl = typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined;
      if (fullUrl !== undefined) next['fullUrl'] = hashed(this.keys.hash, fullUrl);
      const resource = entry['resource'];
      if (typeof resource === 'object' && resource !== null && !Array.isArray(resource)) {
        const done = await each(resource as Json, fullUrl);
        if (done !== undefined) next['resource'] = done;
      }
      const search = entry['search'] as Json | undefined;
      const mode = search?.['mode'];
      if (mode === 'match' || mode === 'include' || mode === 'outcome') next['search'] = { mode, ...(typeof search?.['score'] === 'number' ? { score: search['score'] } : {}) };
      const request = entry['request'];
      if (typeof request === 'object' && request !== null && typeof (request as Json)['url'] === 'string') next['request'] = this.request((request as Json)['method'], (request as Json)['url'] as string, next['resource'] as Json | undefined);
      if (Object.keys(next).length > 0) entries.push(next);
    }
    if (entries.length > 0) out['entry'] = entries;
    return out;
  }

  /**
   * `Type/id` hashed like a reference. A conditional request's query (it
   * searches by an identifier) cannot stay: it becomes an update of the
   * record's hashed id, or a create when the record has none.
   */
  private request(given: unknown, url: string, resource: Json | undefined): Json {
    const method = typeof given === 'string' && httpMethods.has(given) ? given : 'POST';
    const [path = ''] = url.split('?');
    if (!url.includes('?')) return { method, url: /^[A-Z][A-Za-z]+$/.test(path) ? path : hashed(this.keys.hash, path) };
    const id = resource?.['id'];
    return typeof id === 'string' ? { method: 'PUT', url: `${path}/${id}` } : { method: 'POST', url: path };
  }
}
