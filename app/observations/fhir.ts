import type { CodeableConcept, Coding, Device, Observation, ObservationComponent, Patient, Quantity, Reference } from '@medplum/fhirtypes';
import type { Acvpu, News2Input } from '../clinical/news2';
import type { Comparator, DeviceIdentity } from '../devices/decoded-item';
import { bloodPressurePanelLoinc, vitals, type VitalKind } from '../terminology/vitals';
import { consciousnessCode, unitDisplay, type ObservationKind, type ObservationSource, type ObservationOf, type RecordedObservation } from './observation';

/**
 * FHIR R4 export of stored observations, and the views of a patient's
 * observations the NEWS2 score needs.
 */

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
/**
 * Our own code system for the ACVPU letter. LOINC 67775-7's answer list is
 * the NEMSIS AVPU scale, which has no "new confusion"; rather than code four
 * levels in one system and the fifth in another, the letter itself is the
 * code (and the text), which every receiver can read.
 */
export const ACVPU_SYSTEM = 'urn:clinic-workstation:acvpu';

const acvpuDisplay: Readonly<Record<Acvpu, string>> = {
  A: 'Alert',
  C: 'New confusion',
  V: 'Responds to voice',
  P: 'Responds to pain',
  U: 'Unresponsive',
};

export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/**
 * A result beyond the meter's range: FHIR's quantity comparator says the
 * value is a limit, and the interpretation flags it critical (very high and
 * very low glucose are both emergencies) so a receiver that ignores the
 * comparator still sees the alarm.
 */
const beyondRange: Readonly<Record<Comparator, CodeableConcept>> = {
  '>': { coding: [{ system: INTERPRETATION_SYSTEM, code: 'HH', display: 'Critical high' }], text: "Above the meter's measuring range" },
  '<': { coding: [{ system: INTERPRETATION_SYSTEM, code: 'LL', display: 'Critical low' }], text: "Below the meter's measuring range" },
};

/** The id of the contained Device an Observation from a device refers to. */
const containedDeviceId = 'device';

function vitalSignsCategory(): CodeableConcept[] {
  return [{ coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }] }];
}

function loinc(code: string, display: string): CodeableConcept {
  return { coding: [{ system: LOINC_SYSTEM, code, display }], text: display };
}

function quantity(kind: VitalKind, value: number): Quantity {
  const { unit } = vitals[kind];
  return { value, unit: unitDisplay[unit], system: UCUM_SYSTEM, code: unit };
}

export function toFhirDevice(identity: DeviceIdentity): Device {
  return {
    resourceType: 'Device',
    manufacturer: identity.manufacturer,
    deviceName: [{ name: identity.model, type: 'model-name' }],
    ...(identity.serial === undefined ? {} : { serialNumber: identity.serial }),
  };
}

/** Status, category, subject, time, performer and device: what every exported Observation shares. */
function observationFrame(observation: RecordedObservation, patientReference: Reference<Patient>, code: CodeableConcept, id?: string): Observation {
  const { source } = observation;
  const fromDevice = source.type === 'device';
  return {
    resourceType: 'Observation',
    ...(id === undefined ? {} : { id }),
    // The Device travels inside the Observation, so the export needs no
    // separate Device resource per reading (a device has no stable id here).
    ...(source.type === 'device' ? { contained: [{ ...toFhirDevice(source.device), id: containedDeviceId }] } : {}),
    status: 'final',
    category: vitalSignsCategory(),
    code,
    subject: patientReference,
    effectiveDateTime: observation.effectiveAt,
    issued: observation.recordedAt,
    performer: [{ reference: `Practitioner/${observation.recordedBy}` }],
    ...(fromDevice ? { device: { reference: `#${containedDeviceId}` } } : {}),
  };
}

/**
 * One stored observation as a FHIR Observation. Air/oxygen and the SpO2
 * scale are not exported: FHIR has no standard element for them (US Core
 * uses oxygen flow rate and concentration, which we do not record).
 */
export function toFhirObservation(observation: RecordedObservation, patientReference: Reference<Patient>): Observation {
  if (observation.kind === 'consciousness') {
    const coding: Coding = { system: ACVPU_SYSTEM, code: observation.value, display: acvpuDisplay[observation.value] };
    return {
      ...observationFrame(observation, patientReference, loinc(consciousnessCode.loinc, consciousnessCode.display), observation.id),
      valueCodeableConcept: { coding: [coding], text: observation.value },
    };
  }
  const row = vitals[observation.kind];
  const comparator = 'comparator' in observation ? observation.comparator : undefined;
  const value = quantity(observation.kind, observation.value);
  return {
    ...observationFrame(observation, patientReference, loinc(row.loinc, row.display), observation.id),
    valueQuantity: comparator === undefined ? value : { ...value, comparator },
    ...(comparator === undefined ? {} : { interpretation: [beyondRange[comparator]] }),
  };
}

function sameSource(a: ObservationSource, b: ObservationSource): boolean {
  if (a.type === 'manual' || b.type === 'manual') return a.type === b.type;
  // The device, not the frame: a monitor may send systolic and diastolic in separate frames.
  const [x, y] = [a.device, b.device];
  return x.driver === y.driver && x.manufacturer === y.manufacturer && x.model === y.model && x.serial === y.serial;
}

/** Systolic and diastolic can form one panel: same patient, same moment, same source. */
export function sameBloodPressureReading(systolic: ObservationOf<'systolic'>, diastolic: ObservationOf<'diastolic'>): boolean {
  return (
    systolic.patientId === diastolic.patientId &&
    Date.parse(systolic.effectiveAt) === Date.parse(diastolic.effectiveAt) &&
    sameSource(systolic.source, diastolic.source)
  );
}

/**
 * The blood pressure panel (LOINC 85354-9) with systolic and diastolic
 * components, as FHIR's blood pressure profile has it. Throws when the two
 * are not one reading (see `sameBloodPressureReading`): pairing values from
 * different moments would invent a measurement.
 */
export function toFhirBloodPressure(
  systolic: ObservationOf<'systolic'>,
  diastolic: ObservationOf<'diastolic'>,
  patientReference: Reference<Patient>,
): Observation {
  if (!sameBloodPressureReading(systolic, diastolic)) throw new Error('systolic and diastolic are not from the same reading');
  const component = (observation: ObservationOf<'systolic'> | ObservationOf<'diastolic'>): ObservationComponent => {
    const row = vitals[observation.kind];
    return { code: loinc(row.loinc, row.display), valueQuantity: quantity(observation.kind, observation.value) };
  };
  return {
    ...observationFrame(systolic, patientReference, loinc(bloodPressurePanelLoinc, 'Blood pressure panel with all children optional')),
    component: [component(systolic), component(diastolic)],
  };
}

/**
 * A patient's observations for export: each systolic with its diastolic
 * from the same reading as one blood pressure panel, everything else (an
 * unpaired systolic or diastolic included) as its own Observation.
 */
export function toFhirObservations(observations: readonly RecordedObservation[], patientReference: Reference<Patient>): Observation[] {
  const diastolics = observations.filter((o): o is ObservationOf<'diastolic'> => o.kind === 'diastolic');
  const paired = new Set<RecordedObservation>();
  const out: Observation[] = [];
  for (const observation of observations) {
    if (paired.has(observation)) continue;
    if (observation.kind === 'systolic') {
      const diastolic = diastolics.find((d) => !paired.has(d) && sameBloodPressureReading(observation, d));
      if (diastolic !== undefined) {
        paired.add(observation).add(diastolic);
        out.push(toFhirBloodPressure(observation, diastolic, patientReference));
        continue;
      }
    }
    out.push(toFhirObservation(observation, patientReference));
  }
  return out;
}

function measuredAt(observation: RecordedObservation): number {
  return Date.parse(observation.effectiveAt);
}

/** Later measurement first; for the same moment, the later confirmation. */
function isLater(candidate: RecordedObservation, current: RecordedObservation): boolean {
  const difference = measuredAt(candidate) - measuredAt(current);
  if (difference !== 0) return difference > 0;
  return Date.parse(candidate.recordedAt) >= Date.parse(current.recordedAt);
}

export type LatestByKind = { [K in ObservationKind]?: ObservationOf<K> };

/**
 * The latest observation of each kind, by when it was measured (not when it
 * was recorded: a stored result read from a device later is still older).
 * Times are compared as instants, so different offsets compare correctly.
 */
export function latestByKind(observations: readonly RecordedObservation[]): LatestByKind {
  const latest: Partial<Record<ObservationKind, RecordedObservation>> = {};
  for (const observation of observations) {
    const current = latest[observation.kind];
    if (current === undefined || isLater(observation, current)) latest[observation.kind] = observation;
  }
  // Each entry was stored under its own kind.
  return latest as LatestByKind;
}

export interface News2InputOptions {
  /**
   * Ignore observations measured before this instant (ISO), so a score is
   * not built from a temperature taken days ago. Without it, the latest of
   * each kind is used however old.
   */
  notBefore?: string;
}

/**
 * The NEWS2 input from one patient's observations: the latest value of each
 * parameter, and air/oxygen and the SpO2 scale from the latest SpO2 reading.
 * Throws when the observations are of more than one patient: a score mixing
 * two patients' values would look valid and be wrong.
 */
export function news2Input(observations: readonly RecordedObservation[], options: News2InputOptions = {}): News2Input {
  const patients = new Set(observations.map((o) => o.patientId));
  if (patients.size > 1) throw new Error('observations of more than one patient');
  const notBefore = options.notBefore === undefined ? undefined : Date.parse(options.notBefore);
  if (notBefore !== undefined && Number.isNaN(notBefore)) throw new Error('notBefore is not a date-time');
  const recent = notBefore === undefined ? observations : observations.filter((o) => measuredAt(o) >= notBefore);
  const latest = latestByKind(recent);
  return {
    respirationRate: latest.respiratoryRate?.value,
    spo2: latest.spo2?.value,
    spo2Scale: latest.spo2?.spo2Scale,
    onOxygen: latest.spo2?.onOxygen,
    systolic: latest.systolic?.value,
    pulse: latest.pulse?.value,
    consciousness: latest.consciousness?.value,
    temperature: latest.bodyTemperature?.value,
  };
}
