import { hmac, type HMAC } from '@noble/hashes/hmac';
import { sha256, type SHA256 } from '@noble/hashes/sha2';
import { concat, toBase64, toHex, utf8 } from '../crypto/bytes';
import type { AnonymizerConfig, AnonymizerRule } from './anonymizer-config';
import { compact, DescendantIndex, evaluateOn, placeId, removeNode, selectNodes, setNode, type NodePlace } from './fhir-nodes';
import type { ScrubContext } from './free-text';
import { partiallyRedacted, partialRedactionOf, type PartialRedaction } from './partial-redact';
import { sweepStrings } from './string-sweep';

/**
 * Applies de-identification rules to one FHIR resource, as Microsoft's
 * anonymizer does: rules in order, each on the elements its FHIRPath
 * selects; an element a rule has handled (or kept) is not touched by a later
 * one, and what an element holds is handled with it. The input is never
 * changed: the result is a new resource. Methods in this step: keep, redact,
 * substitute, cryptoHash, dateShift, perturb, encrypt and generalize.
 */

/**
 * An HMAC-SHA256 key, ready to sign (@noble/hashes, synchronous). WebCrypto
 * signs only asynchronously: at tens of hashes a record, waiting for each
 * was a fifth of a de-identification run's time.
 */
export interface HmacKey {
  readonly keyed: HMAC<SHA256>;
}

export interface DeidKeys {
  /** For cryptoHash, and for each patient's date shift. */
  hash: HmacKey;
  dateShift: HmacKey;
  /** AES-GCM, for encrypt (`encryptionKey`); a configuration that encrypts without one is refused. */
  encrypt?: CryptoKey | undefined;
}

/** An AES-GCM key from the configuration's `encryptKey`: 16, 24 or 32 bytes of text, as Microsoft's takes it. */
export async function encryptionKey(secret: string): Promise<CryptoKey> {
  const bytes = utf8(secret);
  if (![16, 24, 32].includes(bytes.length)) throw new Error('encryptKey must be 16, 24 or 32 bytes long');
  return crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** base64 of a fresh 12-byte IV and the AES-GCM ciphertext (with its tag) of the text. */
async function encrypted(key: CryptoKey, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return toBase64(concat([iv, new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, utf8(text)))]));
}

/** A uniformly random fraction in [-1, 1] (crypto: a perturbation must not be predictable). */
function randomSigned(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0]! / 0xffff_ffff) * 2 - 1;
}

/** `value` moved at random within the rule's span (fixed, or a fraction of itself), rounded to `roundTo` places. */
export function perturbed(value: number, rule: Extract<AnonymizerRule, { method: 'perturb' }>, random = randomSigned): number {
  const reach = rule.rangeType === 'proportional' ? Math.abs(value) * rule.span : rule.span;
  const factor = 10 ** rule.roundTo;
  return Math.round((value + random() * reach) * factor) / factor;
}

export async function hmacKey(secret: string): Promise<HmacKey> {
  return Promise.resolve({ keyed: hmac.create(sha256, utf8(secret)) });
}

/** HMAC-SHA256 of the text, as lowercase hex. */
export function hmacHex(key: HmacKey, text: string): string {
  return toHex(key.keyed.clone().update(utf8(text)).digest());
}

/** The patient a resource is about (its own id for a Patient): one date shift per patient keeps intervals between their records. */
export function patientKeyOf(resource: Record<string, unknown>): string {
  if (resource['resourceType'] === 'Patient' && typeof resource['id'] === 'string') return `Patient/${resource['id']}`;
  for (const field of ['subject', 'patient']) {
    const reference = resource[field];
    if (typeof reference === 'object' && reference !== null && typeof (reference as { reference?: unknown }).reference === 'string') return (reference as { reference: string }).reference;
  }
  const id = resource['id'];
  return `${String(resource['resourceType'])}/${typeof id === 'string' ? id : ''}`;
}

/** Days in [-50, 50], the same for every record of one patient under one key. */
export function shiftDaysFor(key: HmacKey, patient: string): number {
  const hex = hmacHex(key, patient);
  return (Number.parseInt(hex.slice(0, 8), 16) % 101) - 50;
}

const fullDate = /^(\d{4}-\d{2}-\d{2})(T.*)?$/;

/** A FHIR date or dateTime moved by `days`, its time and zone kept; a year or a month alone keeps only the year (it says too little to move). */
export function shiftDate(value: string, days: number): string {
  const match = fullDate.exec(value);
  if (match === null) return value.slice(0, 4);
  const shifted = new Date(Date.parse(`${match[1]}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return `${shifted}${match[2] ?? ''}`;
}

/** An HMAC as a UUID's text (version 4 and variant bits set), so a hashed `urn:uuid:` stays one. */
function asUuid(hex: string): string {
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 32)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

/**
 * An id, the id part of a reference (`Patient/<id>`, also at the end of an
 * absolute URL, a `fullUrl` or a `request.url`), or the uuid of a
 * `urn:uuid:` replaced by its HMAC: the same id gives the same output
 * wherever it is written, so references still meet their resources.
 */
export function hashed(key: HmacKey, value: string): string {
  const uuid = /^urn:uuid:(.+)$/i.exec(value);
  if (uuid) return `urn:uuid:${asUuid(hmacHex(key, uuid[1]!.toLowerCase()))}`;
  const reference = /^(.*\b[A-Z][A-Za-z]+\/)([A-Za-z0-9\-.]{1,64})((?:\/_history\/[A-Za-z0-9\-.]{1,64})?)$/.exec(value);
  // A version (`/_history/2`) says how often a record changed, nothing more: it goes.
  if (reference) return `${reference[1]}${hmacHex(key, reference[2]!)}`;
  return hmacHex(key, value);
}

/** Refuses a configuration that encrypts without a key, naming the rule. */
export function assertApplicable(config: AnonymizerConfig, keys: DeidKeys): void {
  config.fhirPathRules.forEach((rule, i) => {
    if (rule.method === 'encrypt' && keys.encrypt === undefined) throw new Error(`fhirPathRules[${i}] encrypts, and no encryptKey was given`);
  });
}

/**
 * A rule that could not be applied (its FHIRPath does not run, or the
 * record is not the shape it expects). The message names the rule by its
 * place and method, never the record: fhirpath.js's own errors may quote a
 * value, and Microsoft's anonymizer once printed PHI this way (its #151).
 */
export class DeidRuleError extends Error {
  constructor(
    readonly ruleIndex: number,
    readonly method: string,
  ) {
    super(`fhirPathRules[${ruleIndex}] (${method}) could not be applied to a resource`);
    this.name = 'DeidRuleError';
  }
}

type Handled = WeakMap<object, Set<string>>;

const isHandled = (handled: Handled, parent: object, id: string) => handled.get(parent)?.has(id) === true;

/** Whether anything under `value` was spared by an earlier rule (kept, substituted, or partly redacted). */
function holdsHandled(handled: Handled, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value as Record<string, unknown>).some(([key, item]) =>
    Array.isArray(item) ? item.some((entry, index) => isHandled(handled, value, `${key}#${index}`) || holdsHandled(handled, entry)) : isHandled(handled, value, `${key}#`) || holdsHandled(handled, item),
  );
}

/**
 * Removes what is under `value` except what an earlier rule spared: a kept
 * state stays when its address is redacted, and so does a ZIP code's part
 * redaction left. What an earlier rule hashed, shifted or generalised goes
 * with its parent (an identifier's assigner, hashed as a reference, must not
 * keep the identifier it is part of).
 */
function redactAround(handled: Handled, value: Record<string, unknown>): void {
  for (const [key, item] of Object.entries(value)) {
    if (key === 'resourceType') continue;
    const places: { entry: unknown; index: number | undefined }[] = Array.isArray(item) ? (item as unknown[]).map((entry, index) => ({ entry, index })) : [{ entry: item, index: undefined }];
    for (const { entry, index } of places) {
      const place: NodePlace = { parent: value, key, index, type: undefined, value: entry };
      if (isHandled(handled, value, placeId(place))) continue;
      if (typeof entry === 'object' && entry !== null && holdsHandled(handled, entry)) redactAround(handled, entry as Record<string, unknown>);
      else removeNode(place);
    }
  }
}

async function applyRule(rule: AnonymizerRule, place: NodePlace, keys: DeidKeys, shiftDays: () => number, spared: Handled, partial: PartialRedaction): Promise<void> {
  switch (rule.method) {
    case 'keep':
      return;
    case 'redact': {
      if (typeof place.value === 'object' && place.value !== null && holdsHandled(spared, place.value)) return redactAround(spared, place.value as Record<string, unknown>);
      const kept = partiallyRedacted(place, partial);
      if (kept === undefined) removeNode(place);
      else if (kept !== place.value) setNode(place, kept);
      return;
    }
    case 'substitute':
      return setNode(place, structuredClone(rule.replaceWith));
    case 'cryptoHash':
      if (typeof place.value === 'string') setNode(place, hashed(keys.hash, place.value));
      else removeNode(place);
      return;
    case 'dateShift':
      if (typeof place.value === 'string') setNode(place, shiftDate(place.value, shiftDays()));
      else removeNode(place);
      return;
    case 'perturb': {
      // A number, or a Quantity's value (a weight of 95 kg stays a weight, a little off).
      const value = place.value;
      if (typeof value === 'number') setNode(place, perturbed(value, rule));
      else if (typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'number') setNode(place, { ...(value), value: perturbed((value as { value: number }).value, rule) });
      else removeNode(place);
      return;
    }
    case 'generalize': {
      // The first case whose condition holds gives the value; none holding, `otherValues` decides.
      for (const [condition, result] of Object.entries(rule.cases)) {
        const holds = evaluateOn(place, condition);
        if (holds.length !== 1 || holds[0] !== true) continue;
        const [value, ...more] = evaluateOn(place, result);
        if (more.length === 0 && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) setNode(place, value);
        else removeNode(place);
        return;
      }
      if (rule.otherValues === 'redact') removeNode(place);
      return;
    }
    case 'encrypt': {
      const key = keys.encrypt;
      if (key === undefined) throw new Error('encrypt needs an encryptKey');
      if (typeof place.value === 'string') setNode(place, await encrypted(key, place.value));
      // Anything else is encrypted whole, as JSON text: it may hold a name as well as a string does.
      else setNode(place, await encrypted(key, JSON.stringify(place.value)));
      return;
    }
  }
}

/** What the place holds now. */
function valueAt(place: NodePlace): unknown {
  const held = place.parent[place.key];
  return Array.isArray(held) && place.index !== undefined ? held[place.index] : held;
}

/** Everything under a handled element is handled with it: later rules leave it alone. */
function markHandled(handled: Handled, place: NodePlace): void {
  const own = handled.get(place.parent) ?? new Set<string>();
  own.add(placeId(place));
  handled.set(place.parent, own);
  const mark = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    const entries: Set<string> = handled.get(value) ?? new Set<string>();
    handled.set(value, entries);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const items: unknown[] = Array.isArray(item) ? item : [item];
      items.forEach((entry, index) => {
        entries.add(Array.isArray(item) ? `${key}#${index}` : `${key}#`);
        mark(entry);
      });
    }
  };
  const held = place.parent[place.key];
  mark(Array.isArray(held) && place.index !== undefined ? held[place.index] : held);
}

export interface DeidOptions {
  /** When de-identification happens: a year at least 90 years before it shows an age over 89. */
  now?: Date;
  /** When given, every string the rules left is scrubbed of identifiers (`sweepStrings`), with the patient's own words. */
  scrub?: ScrubContext | undefined;
  /** The patient the resource is about, as other records refer to them (a bundle's `urn:uuid:`); by default from the resource. */
  patientKey?: string | undefined;
}

export async function deidentifyResource(resource: Record<string, unknown>, config: AnonymizerConfig, keys: DeidKeys, options: DeidOptions = {}): Promise<Record<string, unknown> | undefined> {
  assertApplicable(config, keys);
  const copy = structuredClone(resource);
  const handled: Handled = new WeakMap();
  // The places a later redaction of their parent leaves: kept, substituted, or what a redaction left of them.
  const spared: Handled = new WeakMap();
  const partial = partialRedactionOf(config.parameters, options.now ?? new Date());
  let days: number | undefined;
  const shiftDays = () => (days ??= shiftDaysFor(keys.dateShift, options.patientKey ?? patientKeyOf(resource)));
  const descendants = new DescendantIndex(copy);
  for (const [index, rule] of config.fhirPathRules.entries()) {
    try {
      for (const place of selectNodes(copy, rule.path, descendants)) {
        if (handled.get(place.parent)?.has(placeId(place))) continue;
        await applyRule(rule, place, keys, shiftDays, spared, partial);
        markHandled(handled, place);
        if (rule.method === 'keep' || rule.method === 'substitute' || (rule.method === 'redact' && valueAt(place) !== null)) markHandled(spared, place);
      }
    } catch {
      throw new DeidRuleError(index, rule.method);
    }
  }
  if (options.scrub) sweepStrings(copy, (parent, key, index) => isHandled(handled, parent, `${key}#${index ?? ''}`), options.scrub);
  return compact(copy);
}
