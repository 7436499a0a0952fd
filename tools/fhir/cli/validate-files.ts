import { isResourceType } from '@medplum/core';
import { validateFhir, type FhirProblem } from '../validators';

/**
 * What `clinic-fhir validate` checks in one file's text: the resources in it,
 * each with the place an integrator would look for it (`entry 3`, `line 12`),
 * or a note that the file is skipped; then their problems. Finding them
 * (`resourcesIn`) is kept apart from validating them (`validateContents`),
 * so it needs no definitions and tests in milliseconds; neither touches the
 * file system or the terminal, which are clinic-fhir.ts's.
 */

/**
 * Where in its file a resource was found. An entry is numbered as its
 * FHIRPath is (`entry 0` is `Bundle.entry[0]`, as the Bundle's own problems
 * say); a line as an editor numbers it, from 1.
 */
export type Location = { kind: 'file' } | { kind: 'entry'; index: number } | { kind: 'line'; number: number };

export interface FoundResource {
  location: Location;
  /** What the file holds there: usually a resource, but unchecked. */
  resource: unknown;
  /**
   * The Bundle itself, after its entries' resources: those are checked on
   * their own (so their profiles apply), and the Bundle as a shell.
   */
  isBundle?: boolean;
}

export type FileContents =
  | { kind: 'resources'; resources: FoundResource[]; problems: LocatedProblem[] }
  | { kind: 'skipped'; note: string };

/** A problem a validator found, or one found before any could run (`json`: a line that is not JSON). */
export interface LocatedProblem extends Omit<FhirProblem, 'validator'> {
  validator: FhirProblem['validator'] | 'json';
  location: Location;
  /** `Observation/obs-1`, or `Observation` when it has no id; empty when it is not a resource. */
  resourceLabel: string;
}

/**
 * The resources in one file. NDJSON (by its `.ndjson` extension) holds one
 * per line; any other file is one JSON value: a Bundle (each entry's
 * resource, then the Bundle itself), a `$export` manifest (skipped: it
 * lists files, it is not FHIR), or a single resource.
 */
export function resourcesIn(fileName: string, text: string): FileContents {
  return /\.ndjson$/i.test(fileName) ? ndjsonResources(text) : jsonResources(text);
}

function ndjsonResources(text: string): FileContents {
  const resources: FoundResource[] = [];
  const problems: LocatedProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const location: Location = { kind: 'line', number: index + 1 };
    // Blank lines hold nothing (a file ends with a newline, so its last "line" is empty).
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    if (parsed.ok) resources.push({ location, resource: parsed.value });
    else problems.push(notJson(location, parsed.reason));
  });
  return { kind: 'resources', resources, problems };
}

function jsonResources(text: string): FileContents {
  const parsed = parseJson(text);
  if (!parsed.ok) return { kind: 'resources', resources: [], problems: [notJson({ kind: 'file' }, parsed.reason)] };
  const value = parsed.value;
  if (isExportManifest(value)) return { kind: 'skipped', note: 'a $export manifest (it lists the NDJSON files; validate those)' };
  if (!isBundle(value)) return { kind: 'resources', resources: [{ location: { kind: 'file' }, resource: value }], problems: [] };
  const entries = Array.isArray(value.entry) ? (value.entry as unknown[]) : [];
  const resources: FoundResource[] = entries.flatMap((entry, index) =>
    isObject(entry) && 'resource' in entry ? [{ location: { kind: 'entry', index } as const, resource: entry.resource }] : [],
  );
  return { kind: 'resources', resources: [...resources, { location: { kind: 'file' }, resource: value, isBundle: true }], problems: [] };
}

/**
 * The Bundle with each entry's resource cut down to what the Bundle's own
 * rules read (its type, id and meta: bdl-7 compares versionIds, bdl-9 and
 * bdl-12 want a Composition or MessageHeader first). The full resources are
 * validated entry by entry, so validating them again here would double the
 * time and repeat every problem under a second path.
 */
function bundleShell(bundle: unknown): unknown {
  if (!isObject(bundle) || !Array.isArray(bundle.entry)) return bundle;
  const entry = bundle.entry.map((item: unknown) => {
    if (!isObject(item) || !('resource' in item)) return item;
    // Not a resource at all, or of a type R4 does not have: that entry's own
    // validation says so. Here it stands in as a resource with no required
    // elements (Parameters), so the Bundle's rules see an entry with a
    // resource, and Medplum, which stops at an unknown type, checks them.
    const { resource } = item;
    if (!isObject(resource) || typeof resource.resourceType !== 'string' || !isResourceType(resource.resourceType)) return { ...item, resource: { resourceType: 'Parameters' } };
    const { resourceType, id, meta } = resource;
    return { ...item, resource: { resourceType, ...(id === undefined ? {} : { id }), ...(meta === undefined ? {} : { meta }) } };
  });
  return { ...bundle, entry };
}

/**
 * Every problem in one file's resources, in file order (the Bundle's own
 * last), and how many resources were checked (a Bundle counts once per
 * entry resource and once for itself).
 */
export function validateContents(contents: FileContents & { kind: 'resources' }): { checked: number; problems: LocatedProblem[] } {
  const problems = [...contents.problems];
  for (const { location, resource, isBundle } of contents.resources) {
    const found = isBundle === true ? validateFhir(bundleShell(resource)).filter((problem) => !isAboutAnEntryResource(problem.path)) : validateFhir(resource);
    problems.push(...found.map((problem) => ({ ...problem, location, resourceLabel: resourceLabel(resource) })));
  }
  // A line that is not JSON is reported where it is, among the others.
  const order = (location: Location): number => (location.kind === 'line' ? location.number : location.kind === 'entry' ? location.index : Infinity);
  return { checked: contents.resources.length, problems: problems.sort((a, b) => order(a.location) - order(b.location)) };
}

/**
 * Whether a problem the Bundle's shell was given is about one of its entries'
 * (cut down) resources, which that entry's own validation covers. Medplum
 * says `Bundle.entry[0].resource.status`; the fhir package names the entry's
 * resource alone (`Observation.status`), so any path that is not the
 * Bundle's is one.
 */
export function isAboutAnEntryResource(path: string): boolean {
  if (path === '') return false;
  return !/^Bundle(?:$|[.[])/.test(path) || /^Bundle\.entry\[\d+\]\.resource(?:$|[.[])/.test(path);
}

/** `Observation/obs-1`, `Observation` without an id, and empty for what is not a resource. */
export function resourceLabel(resource: unknown): string {
  if (!isObject(resource) || typeof resource.resourceType !== 'string') return '';
  return typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : resource.resourceType;
}

/** `entry 3`, `line 12`, or nothing for the file as a whole. */
export function locationText(location: Location): string {
  return location.kind === 'entry' ? `entry ${location.index}` : location.kind === 'line' ? `line ${location.number}` : '';
}

/** A `$export` response: `transactionTime`, `request` and an `output` list, and no resourceType. */
function isExportManifest(value: unknown): boolean {
  return isObject(value) && !('resourceType' in value) && 'transactionTime' in value && 'request' in value && Array.isArray(value.output);
}

function isBundle(value: unknown): value is Record<string, unknown> & { entry?: unknown } {
  return isObject(value) && value.resourceType === 'Bundle';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notJson(location: Location, reason: string): LocatedProblem {
  return { location, resourceLabel: '', severity: 'error', path: '', message: `not JSON: ${reason}`, validator: 'json' };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
