import type { CountryCode } from 'libphonenumber-js/max';
import { readAnonymizerConfig, type AnonymizerConfig } from './anonymizer-config';
import { patientKeyOf, type DeidKeys } from './deid-engine';
import { Deidentifier, entriesOf } from './deidentifier';
import { kAnonymize, type KAnonymityPlan, type Ladder } from './k-anonymity';
import { safeHarborParameters, safeHarborRuleList, safeHarborRules, type DateHandling } from './profiles/safe-harbor';
import { patientLadders, quasiIdentifiersNamed, releaseQuasiIdentifiers, type QuasiIdentifier } from './quasi-identifiers';
import { quasiIdentifierNames } from './hierarchies';

/**
 * One de-identification run over a set of records (a CLI run, a
 * contribution): the profile's rules or a configuration's, the free-text
 * sweep with each patient's own words, and, when asked (the ODH profile
 * always), k-anonymity over the patients' quasi-identifiers, holding back
 * the patients of groups smaller than k with every record about them.
 * `learn` must see every record first; then `resource` and `bundle`
 * de-identify, and `report` says what was done and what it is.
 */

type Json = Record<string, unknown>;

export type DeidProfileName = 'safe-harbor' | 'odh';

export interface DeidRunSettings {
  profile: DeidProfileName;
  /** Microsoft-format configuration whose rules replace the profile's. */
  config?: AnonymizerConfig | undefined;
  /** Default: the year for Safe Harbor, the month for the ODH profile. */
  dates?: DateHandling | undefined;
  /** Hold back patients in groups smaller than this; without it nobody is held back (the ODH contribution passes 5). */
  k?: number | undefined;
  /** Quasi-identifier names; default all four built-in ones. */
  quasi?: readonly string[] | undefined;
  /** The most patients that may be held back rather than generalising further, as a fraction (default 0.05). */
  maxHeldBack?: number | undefined;
  keys: DeidKeys;
  /** Whether the keys are kept (given by the caller): output of two runs then links; random keys for one run do not. */
  linkable: boolean;
  now?: Date | undefined;
  country?: CountryCode | undefined;
}

export interface KAnonymityReport {
  k: number;
  kReached: number | null;
  quasiIdentifiers: { name: string; level: number; released: string }[];
  groups: number;
  maxHeldBack: number;
  heldBack: { patients: number; resources: number; reason: string };
}

export interface DeidReport {
  profile: DeidProfileName | 'configuration';
  safeHarbor: boolean;
  statement: string;
  dates: DateHandling;
  linkable: boolean;
  keyNote: string;
  resources: { in: number; out: number; heldBack: number; byType: Record<string, number> };
  kAnonymity?: KAnonymityReport;
}

/** The ODH profile: Safe Harbor's rules with dates to the month, and the patient's district kept for the k-anonymity step to release or not. */
export function odhRules(dates: DateHandling = 'month'): AnonymizerConfig {
  return readAnonymizerConfig({
    fhirVersion: 'R4',
    processingError: 'raise',
    fhirPathRules: safeHarborRuleList(dates, [{ path: 'Patient.address.district', method: 'keep' }]),
    parameters: safeHarborParameters,
  });
}

interface PatientEntry {
  ladders: Ladder[];
  original: Json;
  index: number;
}

export class DeidRun {
  private readonly deidentifier: Deidentifier;
  private readonly dates: DateHandling;
  private readonly quasi: QuasiIdentifier[];
  private readonly now: Date;
  private readonly patients = new Map<string, PatientEntry>();
  /** Each record's own reference (`Type/id` or its `urn:uuid:`) and the patient it is about. */
  private readonly aboutPatient = new Map<string, string>();
  private plan: KAnonymityPlan | undefined;
  private heldBackPatients = new Set<string>();
  private readonly counts = { in: 0, out: 0, heldBack: 0, byType: {} as Record<string, number> };

  constructor(private readonly settings: DeidRunSettings) {
    this.dates = settings.dates ?? (settings.profile === 'odh' ? 'month' : 'year');
    this.now = settings.now ?? new Date();
    const rules = settings.config ?? (settings.profile === 'odh' ? odhRules(this.dates) : safeHarborRules(this.dates));
    this.deidentifier = new Deidentifier(rules, settings.keys, { now: this.now, country: settings.country });
    const grouping = settings.k !== undefined || settings.profile === 'odh';
    this.quasi = grouping ? quasiIdentifiersNamed(settings.quasi ?? quasiIdentifierNames, settings.config) : [];
  }

  private get grouping(): boolean {
    return this.quasi.length > 0;
  }

  learn(resource: Json, fullUrl?: string): void {
    this.deidentifier.learn(resource, fullUrl);
    const own = fullUrl ?? `${String(resource['resourceType'])}/${String(resource['id'])}`;
    if (resource['resourceType'] === 'Patient') {
      const key = this.deidentifier.patientKey(resource, fullUrl);
      if (this.grouping) this.patients.set(key, { ladders: patientLadders(resource, this.quasi, { now: this.now, districtAllowed: this.settings.profile === 'odh' }), original: resource, index: this.patients.size });
      this.aboutPatient.set(own, key);
    } else this.aboutPatient.set(own, patientKeyOf(resource));
    this.plan = undefined;
  }

  learnBundle(bundle: Json): void {
    for (const entry of entriesOf(bundle)) {
      const resource = entry['resource'];
      if (typeof resource === 'object' && resource !== null) this.learn(resource as Json, typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined);
    }
  }

  /** The k-anonymity plan, made once after learning: levels and the patients held back. */
  private planned(): KAnonymityPlan | undefined {
    if (!this.grouping) return undefined;
    if (this.plan !== undefined) return this.plan;
    const entries = [...this.patients.entries()];
    const k = this.settings.k;
    this.plan = kAnonymize({ records: entries.map(([, entry]) => entry.ladders), k: k ?? 1, maxHeldBack: this.settings.maxHeldBack ?? 0.05 });
    this.heldBackPatients = new Set([...this.plan.heldBack].map((index) => entries[index]![0]));
    return this.plan;
  }

  /** Whether a record goes no further: its patient was held back (it, and every record about them). */
  private heldBack(resource: Json, fullUrl?: string): boolean {
    if (this.planned() === undefined) return false;
    const own = fullUrl ?? `${String(resource['resourceType'])}/${String(resource['id'])}`;
    const patient = this.aboutPatient.get(own) ?? patientKeyOf(resource);
    return this.heldBackPatients.has(patient);
  }

  /** References to held-back records go with them (a Provenance's target, a Device's patient). */
  private withoutHeldBackReferences(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.withoutHeldBackReferences(item)).filter((item) => item !== undefined);
    if (typeof value !== 'object' || value === null) return value;
    const reference = (value as Json)['reference'];
    if (typeof reference === 'string' && this.heldBackPatients.has(this.aboutPatient.get(reference) ?? reference)) return undefined;
    const out: Json = {};
    for (const [key, item] of Object.entries(value as Json)) {
      const kept = this.withoutHeldBackReferences(item);
      if (kept !== undefined && !(Array.isArray(kept) && kept.length === 0)) out[key] = kept;
    }
    return out;
  }

  private count(resource: Json, outcome: 'out' | 'heldBack'): void {
    this.counts.in += 1;
    this.counts[outcome] += 1;
    if (outcome === 'out') {
      const type = String(resource['resourceType']);
      this.counts.byType[type] = (this.counts.byType[type] ?? 0) + 1;
    }
  }

  /** The record de-identified, or undefined when it is held back. */
  async resource(resource: Json, fullUrl?: string): Promise<Json | undefined> {
    if (this.heldBack(resource, fullUrl)) {
      this.count(resource, 'heldBack');
      return undefined;
    }
    const input = this.heldBackPatients.size > 0 ? (this.withoutHeldBackReferences(resource) as Json) : resource;
    let out = await this.deidentifier.resource(input, fullUrl);
    if (out === undefined) {
      this.count(resource, 'heldBack');
      return undefined;
    }
    const plan = this.planned();
    if (plan !== undefined && resource['resourceType'] === 'Patient') {
      const key = this.deidentifier.patientKey(resource, fullUrl);
      const entry = this.patients.get(key);
      if (entry !== undefined) out = releaseQuasiIdentifiers(out, entry.original, this.quasi, entry.ladders, plan.levels);
    }
    this.count(out, 'out');
    return out;
  }

  /** A Bundle de-identified (`Deidentifier.bundle`), without the entries held back. */
  async bundle(bundle: Json): Promise<Json> {
    const entries = entriesOf(bundle).filter((entry) => {
      const resource = entry['resource'];
      if (typeof resource !== 'object' || resource === null) return true;
      const fullUrl = typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined;
      if (!this.heldBack(resource as Json, fullUrl)) return true;
      this.count(resource as Json, 'heldBack');
      return false;
    });
    const kept = { ...bundle, entry: this.heldBackPatients.size > 0 ? entries.map((entry) => this.withoutHeldBackReferences(entry) as Json) : entries };
    return this.deidentifier.bundle(kept, (resource, fullUrl) => this.resource(resource, fullUrl));
  }

  report(): DeidReport {
    const profile = this.settings.config !== undefined ? 'configuration' : this.settings.profile;
    const plan = this.planned();
    const safeHarbor = profile === 'safe-harbor' && this.dates === 'year';
    const statement =
      profile === 'configuration'
        ? 'De-identified by the rules of the configuration given, which replaced the profile’s; whether the output meets HIPAA Safe Harbor depends on those rules. Free text was scrubbed of identifiers after them.'
        : profile === 'odh'
          ? `Statistical de-identification for the Open Data Hub: identifiers removed as Safe Harbor removes them, then age band, sex, district and ZIP3 released only under k-anonymity${this.settings.k === undefined ? ' (no k was given, so nobody was held back)' : ` (k = ${this.settings.k})`}. This is not HIPAA Safe Harbor: dates keep their month and the district may be kept.`
          : safeHarbor
            ? 'HIPAA Safe Harbor (45 CFR 164.514(b)(2)): the 18 identifiers removed wherever they were found, dates cut to the year (none shown 90 or more years back), ages over 89 as 90 or more, US ZIP codes to their first three digits (000 where fewer than 20,000 people share them), free text scrubbed.'
            : 'Not HIPAA Safe Harbor: dates were shifted by the same number of days for each patient rather than cut to the year. The other identifiers were removed as Safe Harbor removes them.';
    const report: DeidReport = {
      profile,
      safeHarbor,
      statement,
      dates: this.dates,
      linkable: this.settings.linkable,
      keyNote: this.settings.linkable
        ? 'Hashed ids and date shifts come from the keys given: the same keys link this output with other runs.'
        : 'The keys were made at random for this run and not kept: this output cannot be linked to any other run.',
      resources: { ...this.counts, byType: { ...this.counts.byType } },
    };
    if (plan !== undefined) {
      const heldBackPatients = plan.heldBack.size;
      report.kAnonymity = {
        k: this.settings.k ?? 1,
        kReached: plan.kReached ?? null,
        quasiIdentifiers: this.quasi.map((q, index) => ({ name: q.name, level: plan.levels[index]!, released: q.levelNames[Math.min(plan.levels[index]! + (q.name === 'district' && this.settings.profile !== 'odh' ? 1 : 0), q.levelNames.length - 1)]! })),
        groups: plan.groups,
        maxHeldBack: this.settings.maxHeldBack ?? 0.05,
        heldBack: {
          patients: heldBackPatients,
          resources: this.counts.heldBack,
          reason: heldBackPatients === 0 ? 'Nobody was held back.' : `These patients were in groups of fewer than ${this.settings.k ?? 1} at the generalisation chosen, and generalising further would have lost more than holding them back; every record about them was held back with them.`,
        },
      };
    }
    return report;
  }
}
