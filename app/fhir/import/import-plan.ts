import type { DeviceIdentity } from '../../devices/decoded-item';
import { driverIds, type DriverId } from '../../devices/driver-ids';
import type { RecordedObservation } from '../../observations/observation';
import { giveWay } from '../../scheduling/give-way';
import { measuredSpan, visitSchema, type Visit } from '../../visits/visit';
import { derivedId } from '../ids';
import { consentSchema, odhResearchPolicy, type Consent } from '../../consents/consent';
import { CONSENT_ID, DEVICE_DRIVER, ENCOUNTER_ID, EXTENSION } from '../systems';
import { anyResourceInput, consentInput, deviceInput, encounterInput, firstIssue, observationInput, patientInput, type ConsentInput, type DeviceInput, type EncounterInput, type ObservationInput } from './fhir-input';
import { importProblemKeys as problem, type ImportPlace, type ImportProblem } from './import-problems';
import type { SourcedResource } from './import-source';
import { patientFromFhir, type ImportedPatient } from './patient-from-fhir';
import { readingsFromFhir, type SkipReason } from './readings-from-fhir';

/**
 * What the files hold, as the workstation's records: patients, readings
 * and visits (Encounters that have readings here), with references resolved
 * inside the import (a Bundle's `urn:uuid:` fullUrls, `Type/id`, or a
 * server's absolute URLs), and every problem found, each with its place. The
 * store decides created, updated or unchanged against what it holds
 * (renderer/store/fhir-import.ts); nothing is written while a problem remains.
 */

/** A patient of the files, with where it was found (a problem matching it names the place). */
export interface PlannedPatient extends ImportedPatient {
  where: ImportPlace;
}

export interface ImportPlan {
  /** Resources read from the files. */
  resources: number;
  patients: PlannedPatient[];
  /** Each with `patientId` the id its patient has in `patients`. */
  readings: RecordedObservation[];
  visits: Visit[];
  /** Research-use decisions of the clinic's Open Data Hub policy (another policy's consents are skipped as another type). */
  consents: Consent[];
  /** Resources not kept, by why: another kind of resource (by type), an Observation that is not final, one the workstation does not keep, a score it computes itself. */
  skipped: { types: Record<string, number>; notFinal: number; notKept: number; computedHere: number };
  problems: ImportProblem[];
}

export interface PlanContext {
  clinicId: string;
  importedAt: string;
  /** The importing admin's user id: the recorder of readings whose source names no practitioner. */
  importedBy: string;
}

/** Resource types the workstation keeps something of (a Device only says which meter a reading came from). */
const readTypes: ReadonlySet<string> = new Set(['Patient', 'Observation', 'Encounter', 'Device', 'Consent']);

/** The key a reference names: `Type/id` from a relative or absolute URL, or the fullUrl itself (`urn:uuid:`). */
export function referenceKey(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  if (reference.startsWith('urn:')) return reference;
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

interface Found<T> {
  input: T;
  where: ImportPlace;
  /** `Type/id` when it has an id, else its fullUrl. */
  key: string;
}

/** One resource's keys: `Type/id` and its fullUrl, as others may name it either way. */
function keysOf(type: string, id: string | undefined, fullUrl: string | undefined): string[] {
  return [...(id === undefined ? [] : [`${type}/${id}`]), ...(fullUrl === undefined ? [] : [fullUrl])];
}

function deviceIdentityOf(device: DeviceInput): DeviceIdentity | undefined {
  const driver = device.type?.coding?.find((coding) => coding.system === DEVICE_DRIVER)?.code;
  if (driver === undefined || !(driverIds as readonly string[]).includes(driver)) return undefined;
  const model = device.deviceName?.find((name) => name.type === 'model-name')?.name ?? '';
  return {
    driver: driver as DriverId,
    manufacturer: device.manufacturer ?? '',
    model,
    ...(device.serialNumber === undefined ? {} : { serial: device.serialNumber }),
  };
}

const latest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

export async function planImport(sourced: readonly SourcedResource[], context: PlanContext): Promise<ImportPlan> {
  const plan: ImportPlan = { resources: sourced.length, patients: [], readings: [], visits: [], consents: [], skipped: { types: {}, notFinal: 0, notKept: 0, computedHere: 0 }, problems: [] };
  const refuse = (where: ImportPlace, found: Pick<ImportProblem, 'path' | 'key' | 'params'>) => plan.problems.push({ ...where, ...found });

  const observations: Found<ObservationInput>[] = [];
  const encounters: Found<EncounterInput>[] = [];
  const consents: Found<ConsentInput>[] = [];
  const patientByKey = new Map<string, ImportedPatient>();
  const deviceByKey = new Map<string, DeviceIdentity>();
  const encounterByKey = new Map<string, Found<EncounterInput>>();
  const seen = new Map<string, Record<string, unknown>>();

  for (const [i, { resource, where, fullUrl }] of sourced.entries()) {
    if (i > 0 && i % 250 === 0) await giveWay();
    const head = anyResourceInput.safeParse(resource);
    if (!head.success) {
      refuse(where, firstIssue('Resource', head.error));
      continue;
    }
    const type = head.data.resourceType;
    if (!readTypes.has(type)) {
      plan.skipped.types[type] = (plan.skipped.types[type] ?? 0) + 1;
      continue;
    }
    const keys = keysOf(type, head.data.id, fullUrl);
    // The same resource in two files (a Bundle and its NDJSON twin) is read once; two different ones under one id cannot both be right.
    const twin = keys.map((key) => seen.get(key)).find((other) => other !== undefined);
    if (twin !== undefined) {
      if (JSON.stringify(twin) !== JSON.stringify(resource)) refuse(where, { path: `${type}.id`, key: problem.sameIdTwice });
      continue;
    }
    for (const key of keys) seen.set(key, resource);
    const key = keys[0] ?? `${where.file}#${where.line ?? where.entry ?? 0}`;

    if (type === 'Patient') {
      const parsed = patientInput.safeParse(resource);
      if (!parsed.success) {
        refuse(where, firstIssue(type, parsed.error));
        continue;
      }
      const mapped = await patientFromFhir(parsed.data, { clinicId: context.clinicId, sourceKey: key, importedAt: context.importedAt });
      if (!mapped.ok) {
        refuse(where, mapped.problem);
        continue;
      }
      plan.patients.push({ ...mapped.value, where });
      for (const k of keys) patientByKey.set(k, mapped.value);
    } else if (type === 'Device') {
      const parsed = deviceInput.safeParse(resource);
      if (!parsed.success) {
        refuse(where, firstIssue(type, parsed.error));
        continue;
      }
      const identity = deviceIdentityOf(parsed.data);
      if (identity !== undefined) for (const k of keys) deviceByKey.set(k, identity);
      // A workstation or another system's device: nothing to keep of it.
      else plan.skipped.types['Device'] = (plan.skipped.types['Device'] ?? 0) + 1;
    } else if (type === 'Consent') {
      const parsed = consentInput.safeParse(resource);
      if (!parsed.success) refuse(where, firstIssue(type, parsed.error));
      else consents.push({ input: parsed.data, where, key });
    } else if (type === 'Encounter') {
      const parsed = encounterInput.safeParse(resource);
      if (!parsed.success) refuse(where, firstIssue(type, parsed.error));
      else {
        const found = { input: parsed.data, where, key };
        encounters.push(found);
        for (const k of keys) encounterByKey.set(k, found);
      }
    } else {
      const parsed = observationInput.safeParse(resource);
      if (!parsed.success) refuse(where, firstIssue(type, parsed.error));
      else observations.push({ input: parsed.data, where, key });
    }
  }

  const readingsOfEncounter = new Map<Found<EncounterInput>, RecordedObservation[]>();
  const readingIds = new Set<string>();
  for (const [i, { input, where, key }] of observations.entries()) {
    if (i > 0 && i % 250 === 0) await giveWay();
    const subject = referenceKey(input.subject?.reference);
    if (subject === undefined) {
      refuse(where, { path: 'Observation.subject', key: problem.noSubject });
      continue;
    }
    const patient = patientByKey.get(subject);
    if (patient === undefined) {
      // Not a patient of this import (another kind of subject, or one left out of the files).
      if (!subject.startsWith('Patient/') && !subject.startsWith('urn:')) plan.skipped.notKept++;
      else refuse(where, { path: 'Observation.subject', key: problem.unknownPatient });
      continue;
    }
    const deviceKey = referenceKey(input.device?.reference);
    const mapped = await readingsFromFhir(input, {
      patientId: patient.patient.id,
      sourceKey: key,
      device: deviceKey === undefined ? undefined : deviceByKey.get(deviceKey),
      importedBy: context.importedBy,
    });
    if (mapped.kind === 'problem') refuse(where, mapped.problem);
    else if (mapped.kind === 'skipped') plan.skipped[mapped.reason satisfies SkipReason]++;
    else {
      const fresh = mapped.readings.filter((reading) => !readingIds.has(reading.id));
      for (const reading of fresh) readingIds.add(reading.id);
      plan.readings.push(...fresh);
      const encounter = encounterByKey.get(referenceKey(input.encounter?.reference) ?? '');
      if (encounter !== undefined) readingsOfEncounter.set(encounter, [...(readingsOfEncounter.get(encounter) ?? []), ...fresh]);
    }
  }

  for (const encounter of encounters) {
    const own = readingsOfEncounter.get(encounter) ?? [];
    // A visit is the readings taken together: one with none here has nothing to hold.
    if (own.length === 0) {
      plan.skipped.types['Encounter'] = (plan.skipped.types['Encounter'] ?? 0) + 1;
      continue;
    }
    const ownId = encounter.input.identifier?.find((identifier) => identifier.system === ENCOUNTER_ID)?.value;
    const participant = encounter.input.participant?.map((p) => /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/.exec(p.individual?.reference ?? '')?.[1]).find((id) => id !== undefined);
    const parsed = visitSchema.safeParse({
      id: ownId ?? (await derivedId('vis', 'fhir-import', encounter.key)),
      patientId: own[0]!.patientId,
      ...measuredSpan(own),
      recordedAt: latest(own.map((reading) => reading.recordedAt)),
      recordedBy: participant ?? own[0]!.recordedBy,
      observationIds: own.map((reading) => reading.id),
    });
    // The readings are kept either way; a visit that does not hold together (readings of two patients) is left for the export to derive.
    if (parsed.success && own.every((reading) => reading.patientId === own[0]!.patientId)) plan.visits.push(parsed.data);
    else plan.skipped.types['Encounter'] = (plan.skipped.types['Encounter'] ?? 0) + 1;
  }

  for (const found of consents) {
    const mapped = await consentFromFhir(found, patientByKey, context);
    if (mapped === 'skipped') plan.skipped.types['Consent'] = (plan.skipped.types['Consent'] ?? 0) + 1;
    else if ('key' in mapped) refuse(found.where, mapped);
    else plan.consents.push(mapped);
  }
  return plan;
}

/**
 * A Consent as the chart's decision (app/fhir/consent.ts in reverse): only
 * one of the Open Data Hub research policy, active (consented, or declined
 * when its provision denies) or inactive (withdrawn); any other is another
 * system's matter and is skipped.
 */
async function consentFromFhir(found: Found<ConsentInput>, patientByKey: ReadonlyMap<string, ImportedPatient>, context: PlanContext): Promise<Consent | 'skipped' | Pick<ImportProblem, 'path' | 'key'>> {
  const { input, key } = found;
  if (!(input.policy ?? []).some((policy) => policy.uri === odhResearchPolicy)) return 'skipped';
  const status = input.status === 'inactive' ? 'withdrawn' : input.status === 'active' ? (input.provision?.type === 'deny' ? 'declined' : 'active') : undefined;
  if (status === undefined) return 'skipped';
  const patient = patientByKey.get(referenceKey(input.patient?.reference) ?? '');
  if (patient === undefined) return { path: 'Consent.patient', key: problem.unknownPatient };
  const recorded = input.extension?.find((extension) => extension.url === EXTENSION.consentRecorded)?.extension ?? [];
  const by = /^Practitioner\/([A-Za-z0-9\-.]{1,64})$/.exec(recorded.find((part) => part.url === 'by')?.valueReference?.reference ?? '')?.[1];
  const at = recorded.find((part) => part.url === 'at')?.valueDateTime;
  const parsed = consentSchema.safeParse({
    id: input.identifier?.find((identifier) => identifier.system === CONSENT_ID)?.value ?? (await derivedId('cns', 'fhir-import', key)),
    patientId: patient.patient.id,
    status,
    policy: odhResearchPolicy,
    date: input.dateTime?.slice(0, 10),
    recordedAt: at !== undefined && /T/.test(at) ? at : context.importedAt,
    recordedBy: by ?? context.importedBy,
  });
  return parsed.success ? parsed.data : { path: 'Consent.dateTime', key: problem.notFhirDate };
}
