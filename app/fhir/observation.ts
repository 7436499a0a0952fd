import type { CodeableConcept, Coding, Device, Encounter, Extension, Identifier, Observation, ObservationComponent, Practitioner, Quantity, Reference } from '@medplum/fhirtypes';
import { fromHex, toBase64 } from '../crypto/bytes';
import type { Comparator, DeviceIdentity } from '../devices/decoded-item';
import {
  acvpuWords,
  consciousnessCode,
  unitDisplay,
  type ObservationKind,
  type ObservationOf,
  type ObservationSource,
  type RecordedObservation,
} from '../observations/observation';
import { bloodPressurePanelLoinc, vitals, type VitalKind } from '../terminology/vitals';
import { toFhirInstant } from './date-time';
import { deviceIdCache } from './device';
import { derivedId } from './ids';
import { ACVPU, EXTENSION, LOINC, OBSERVATION_CATEGORY, OBSERVATION_INTERPRETATION, READING_ID, UCUM } from './systems';
import { vitalSignProfileFor } from './vital-sign-profiles';

/**
 * Stored readings as FHIR R4 Observations. Vital signs meet FHIR's
 * vital-signs profiles (and say so in meta.profile); glucose by meter is a
 * laboratory result and the level of consciousness an exam finding, so they
 * claim no vital-signs profile (their LOINC codes are not in its value set).
 */

export interface ObservationContext {
  /** The visit the reading was captured in. */
  encounter?: Reference<Encounter> | undefined;
  /** The Device a device reading came from (its id from `deviceIdOf`); required for those. */
  device?: Reference<Device> | undefined;
}

type Category = 'vital-signs' | 'laboratory' | 'exam';

const categoryOf: Readonly<Record<ObservationKind, Category>> = {
  spo2: 'vital-signs',
  pulse: 'vital-signs',
  respiratoryRate: 'vital-signs',
  systolic: 'vital-signs',
  diastolic: 'vital-signs',
  bodyWeight: 'vital-signs',
  bodyTemperature: 'vital-signs',
  // Point-of-care capillary glucose: a laboratory test done at the bedside.
  glucoseMass: 'laboratory',
  glucoseMoles: 'laboratory',
  consciousness: 'exam',
};

const categoryDisplay: Readonly<Record<Category, string>> = { 'vital-signs': 'Vital Signs', laboratory: 'Laboratory', exam: 'Exam' };

/**
 * A result beyond the meter's range: the quantity's comparator says the
 * value is a limit, and the interpretation flags it critical (very high and
 * very low glucose are both emergencies) so a receiver that ignores the
 * comparator still sees the alarm. No H/L flags otherwise: we keep no
 * reference ranges to judge against.
 */
const beyondRange: Readonly<Record<Comparator, CodeableConcept>> = {
  '>': { coding: [{ system: OBSERVATION_INTERPRETATION, code: 'HH', display: 'Critical high' }], text: "Above the meter's measuring range" },
  '<': { coding: [{ system: OBSERVATION_INTERPRETATION, code: 'LL', display: 'Critical low' }], text: "Below the meter's measuring range" },
};

function loincCoding(code: string, display: string): Coding {
  return { system: LOINC, code, display };
}

/**
 * SpO2 is stored as 59408-5 (by pulse oximetry), but FHIR's oxygensat
 * profile requires 2708-6: both are sent, the profile's code first.
 */
const spo2Code: CodeableConcept = {
  coding: [loincCoding('2708-6', 'Oxygen saturation in Arterial blood'), loincCoding(vitals.spo2.loinc, vitals.spo2.display)],
  text: vitals.spo2.display,
};

function codeOf(kind: ObservationKind): CodeableConcept {
  if (kind === 'spo2') return structuredClone(spo2Code);
  const { loinc, display } = kind === 'consciousness' ? consciousnessCode : vitals[kind];
  return { coding: [loincCoding(loinc, display)], text: display };
}

function categoryFor(kind: ObservationKind): CodeableConcept[] {
  const category = categoryOf[kind];
  return [{ coding: [{ system: OBSERVATION_CATEGORY, code: category, display: categoryDisplay[category] }] }];
}

/** UCUM's code as `code` for machines, and as `unit` the unit as people write it (`mm[Hg]` is mmHg to a reader). */
function quantity(kind: VitalKind, value: number): Quantity {
  const { unit } = vitals[kind];
  return { value, unit: unitDisplay[unit], system: UCUM, code: unit };
}

/** The raw device frame, kept for audit; none for a typed value, an empty frame or (never from a driver) an odd number of hex digits. */
function rawFrameExtension(source: ObservationSource): Extension[] {
  if (source.type !== 'device' || source.raw === '' || source.raw.length % 2 !== 0) return [];
  return [{ url: EXTENSION.rawFrame, valueBase64Binary: toBase64(fromHex(source.raw)) }];
}

/** Air/oxygen and the SpO2 scale: FHIR has no element for either, and NEWS2 changes without them. */
function spo2Extensions(reading: RecordedObservation): Extension[] {
  if (reading.kind !== 'spo2') return [];
  return [
    ...(reading.onOxygen === undefined ? [] : [{ url: EXTENSION.onOxygen, valueBoolean: reading.onOxygen }]),
    ...(reading.spo2Scale === undefined ? [] : [{ url: EXTENSION.spo2Scale, valueInteger: reading.spo2Scale }]),
  ];
}

function readingIdentifier(reading: RecordedObservation): Identifier {
  return { system: READING_ID, value: reading.id };
}

function performer(reading: RecordedObservation): Reference<Practitioner> {
  return { reference: `Practitioner/${reading.recordedBy}` };
}

function deviceReference(source: ObservationSource, context: ObservationContext): Reference<Device> | undefined {
  if (source.type !== 'device') return undefined;
  // Without it the export would lose which meter measured the value.
  if (context.device === undefined) throw new Error('a device reading needs its Device reference');
  return context.device;
}

/** What every reading's Observation has: profile, status, category, code, subject, visit, times, performer, device. */
function frame(reading: RecordedObservation, code: CodeableConcept, context: ObservationContext): Observation {
  const category = categoryOf[reading.kind];
  const primaryCode = code.coding?.[0]?.code ?? '';
  const device = deviceReference(reading.source, context);
  return {
    resourceType: 'Observation',
    id: reading.id,
    ...(category === 'vital-signs' ? { meta: { profile: [vitalSignProfileFor(primaryCode)] } } : {}),
    identifier: [readingIdentifier(reading)],
    status: 'final',
    category: categoryFor(reading.kind),
    code,
    subject: { reference: `Patient/${reading.patientId}` },
    ...(context.encounter === undefined ? {} : { encounter: context.encounter }),
    effectiveDateTime: toFhirInstant(reading.effectiveAt),
    issued: toFhirInstant(reading.recordedAt),
    performer: [performer(reading)],
    ...(device === undefined ? {} : { device }),
  };
}

/**
 * One stored reading as an Observation. A systolic or diastolic alone
 * becomes its own vital sign; pair them with `toFhirBloodPressure`.
 */
export function toFhirObservation(reading: RecordedObservation, context: ObservationContext = {}): Observation {
  const extension = [...spo2Extensions(reading), ...rawFrameExtension(reading.source)];
  const withExtensions = (observation: Observation): Observation => (extension.length === 0 ? observation : { ...observation, extension });
  if (reading.kind === 'consciousness') {
    return withExtensions({
      ...frame(reading, codeOf('consciousness'), context),
      valueCodeableConcept: { coding: [{ system: ACVPU, code: reading.value, display: acvpuWords[reading.value] }], text: reading.value },
    });
  }
  const comparator = 'comparator' in reading ? reading.comparator : undefined;
  const value = quantity(reading.kind, reading.value);
  return withExtensions({
    ...frame(reading, codeOf(reading.kind), context),
    valueQuantity: comparator === undefined ? value : { ...value, comparator },
    ...(comparator === undefined ? {} : { interpretation: [structuredClone(beyondRange[comparator])] }),
  });
}

function sameDevice(x: DeviceIdentity, y: DeviceIdentity): boolean {
  return x.driver === y.driver && x.manufacturer === y.manufacturer && x.model === y.model && x.serial === y.serial;
}

function sameSource(a: ObservationSource, b: ObservationSource): boolean {
  if (a.type === 'manual' || b.type === 'manual') return a.type === b.type;
  // The device, not the frame: a monitor may send systolic and diastolic in separate frames.
  return sameDevice(a.device, b.device);
}

/** Systolic and diastolic can form one panel: same patient, same moment, same source. */
export function sameBloodPressureReading(systolic: ObservationOf<'systolic'>, diastolic: ObservationOf<'diastolic'>): boolean {
  return (
    systolic.patientId === diastolic.patientId &&
    Date.parse(systolic.effectiveAt) === Date.parse(diastolic.effectiveAt) &&
    sameSource(systolic.source, diastolic.source)
  );
}

/** A blood pressure panel has no store record: its id comes from its two readings'. */
export function bloodPressurePanelId(systolic: ObservationOf<'systolic'>, diastolic: ObservationOf<'diastolic'>): Promise<string> {
  return derivedId('bp', systolic.id, diastolic.id);
}

type BloodPressureHalf = ObservationOf<'systolic'> | ObservationOf<'diastolic'>;

/** A half as a component, carrying its reading's store id (and raw frame) so an import can restore both readings. */
function bloodPressureComponent(reading: BloodPressureHalf): ObservationComponent {
  return {
    extension: [{ url: EXTENSION.readingId, valueIdentifier: readingIdentifier(reading) }, ...rawFrameExtension(reading.source)],
    code: codeOf(reading.kind),
    valueQuantity: quantity(reading.kind, reading.value),
  };
}

const later = (a: string, b: string): string => (Date.parse(b) > Date.parse(a) ? b : a);

/**
 * The blood pressure panel (LOINC 85354-9) with systolic and diastolic
 * components and no value of its own, as FHIR's bp profile has it. Throws
 * when the two are not one reading (see `sameBloodPressureReading`): pairing
 * values from different moments would invent a measurement.
 */
export function toFhirBloodPressure(
  systolic: ObservationOf<'systolic'>,
  diastolic: ObservationOf<'diastolic'>,
  context: ObservationContext & { id: string },
): Observation {
  if (!sameBloodPressureReading(systolic, diastolic)) throw new Error('systolic and diastolic are not from the same reading');
  const code: CodeableConcept = { coding: [loincCoding(bloodPressurePanelLoinc, 'Blood pressure panel with all children optional')], text: 'Blood pressure' };
  const performers = systolic.recordedBy === diastolic.recordedBy ? [performer(systolic)] : [performer(systolic), performer(diastolic)];
  return {
    ...frame(systolic, code, context),
    id: context.id,
    identifier: [readingIdentifier(systolic), readingIdentifier(diastolic)],
    // The panel was complete when its second half was confirmed.
    issued: toFhirInstant(later(systolic.recordedAt, diastolic.recordedAt)),
    performer: performers,
    component: [bloodPressureComponent(systolic), bloodPressureComponent(diastolic)],
  };
}

export type ReadingGroup =
  | { type: 'single'; reading: RecordedObservation }
  | { type: 'bloodPressure'; systolic: ObservationOf<'systolic'>; diastolic: ObservationOf<'diastolic'> };

/**
 * Readings as they are exported: each systolic with the first diastolic of
 * the same reading as one panel, everything else (an unpaired half included)
 * alone, in the readings' order.
 */
export function groupReadings(readings: readonly RecordedObservation[]): ReadingGroup[] {
  const diastolics = readings.filter((o): o is ObservationOf<'diastolic'> => o.kind === 'diastolic');
  const paired = new Set<RecordedObservation>();
  const groups: ReadingGroup[] = [];
  for (const reading of readings) {
    if (paired.has(reading)) continue;
    if (reading.kind === 'systolic') {
      const diastolic = diastolics.find((d) => !paired.has(d) && sameBloodPressureReading(reading, d));
      if (diastolic !== undefined) {
        paired.add(reading).add(diastolic);
        groups.push({ type: 'bloodPressure', systolic: reading, diastolic });
        continue;
      }
    }
    groups.push({ type: 'single', reading });
  }
  return groups;
}

/**
 * A set of readings (a visit's, or a patient's) as Observations: blood
 * pressure paired into panels, each device reading referring to its Device
 * by the id `deviceIdOf` gives (the caller exports those Devices).
 */
export async function toFhirObservations(readings: readonly RecordedObservation[], context: Omit<ObservationContext, 'device'> = {}): Promise<Observation[]> {
  const deviceId = deviceIdCache();
  const deviceOf = async (source: ObservationSource): Promise<Reference<Device> | undefined> => (source.type === 'device' ? { reference: `Device/${await deviceId(source.device)}` } : undefined);
  const observations: Observation[] = [];
  for (const group of groupReadings(readings)) {
    if (group.type === 'single') {
      observations.push(toFhirObservation(group.reading, { ...context, device: await deviceOf(group.reading.source) }));
    } else {
      const { systolic, diastolic } = group;
      const id = await bloodPressurePanelId(systolic, diastolic);
      observations.push(toFhirBloodPressure(systolic, diastolic, { ...context, id, device: await deviceOf(systolic.source) }));
    }
  }
  return observations;
}
