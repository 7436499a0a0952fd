import { sha256Hex } from '../crypto/digest';
import { acvpuWords, consciousnessCode, unitDisplay, type RecordedObservation } from '../observations/observation';
import type { Patient } from '../patients/patient';
import { vitals, vitalSignsPanelLoinc } from '../terminology/vitals';
import type { Visit } from '../visits/visit';
import { components, dt, dtm, escapeText, segment, segmentSeparator } from './er7';

/**
 * A visit's readings as an HL7 v2.5.1 ORU^R01 (unsolicited observation
 * result) for a lab or EHR that takes v2: MSH, PID (the clinic number as a
 * medical record number under the clinic's own authority, the national ID),
 * PV1 (an outpatient visit), one OBR for the visit's vital-signs panel, and
 * one OBX per reading with its LOINC code and UCUM unit; blood pressure is
 * its two readings, systolic and diastolic. A glucose beyond the meter's
 * range is a structured numeric (`>^600`) flagged HH (LL below), never a
 * plain number; air or oxygen follows the SpO2 as a note.
 */

export const sendingApplication = 'CLINIC-WORKSTATION';

export interface OruContext {
  clinic: { clinicId: string; name: string };
  /** The endpoint's application and facility (MSH-5, MSH-6), as its operator gave them. */
  receiving: { application: string; facility: string };
  /** When the message is made (MSH-7). */
  sentAt: string;
}

const sexCode: Readonly<Record<Patient['sex'], string>> = { female: 'F', male: 'M', other: 'O', unknown: 'U' };

/**
 * MSH-10: the same for every sending of this visit, so a receiver that has
 * it already can tell a resend (after a lost ACK) from a new result. 20
 * characters, as many receivers keep no more.
 */
export async function controlIdOf(visit: Pick<Visit, 'id'>): Promise<string> {
  return (await sha256Hex(JSON.stringify(['hl7-oru', visit.id]))).slice(0, 20).toUpperCase();
}

function pid(patient: Patient, clinicId: string): string {
  const identifiers = [
    components(escapeText(patient.clinicNumber), '', '', escapeText(clinicId), 'MR'),
    ...(patient.nationalId === undefined ? [] : [components(escapeText(patient.nationalId), '', '', '', 'NI')]),
  ].join('~');
  const birth = patient.birthDate !== undefined ? dt(patient.birthDate) : patient.estimatedAgeYears !== undefined ? String(Number(patient.createdAt.slice(0, 4)) - patient.estimatedAgeYears) : '';
  const address = patient.address === undefined && patient.village === undefined ? '' : components(escapeText(patient.address ?? ''), '', escapeText(patient.village ?? ''));
  const fields = Array<string>(13).fill('');
  fields[0] = '1';
  fields[2] = identifiers;
  fields[4] = components(escapeText(patient.familyName), escapeText(patient.givenNames));
  fields[6] = birth;
  fields[7] = sexCode[patient.sex];
  fields[10] = address;
  fields[12] = patient.phone === undefined ? '' : components(escapeText(patient.phone), 'PRN', 'PH');
  return segment('PID', fields);
}

function pv1(visit: Visit): string {
  const fields = Array<string>(19).fill('');
  fields[0] = '1';
  // O: outpatient, which a rural clinic visit is.
  fields[1] = 'O';
  fields[18] = components(escapeText(visit.id), '', '', sendingApplication);
  return segment('PV1', fields);
}

function obr(visit: Visit): string {
  const fields = Array<string>(25).fill('');
  fields[0] = '1';
  fields[2] = components(escapeText(visit.id), sendingApplication);
  fields[3] = components(vitalSignsPanelLoinc, 'Vital signs, weight, height, head circumference, oximetry, BMI, and BSA panel', 'LN');
  fields[6] = dtm(visit.start);
  fields[7] = dtm(visit.end);
  fields[21] = dtm(visit.recordedAt);
  fields[24] = 'F';
  return segment('OBR', fields);
}

/** OBX-2, OBX-3, OBX-5, OBX-6 and OBX-8 of one reading. */
function valueFields(reading: RecordedObservation): { type: string; code: string; value: string; units: string; flag: string } {
  if (reading.kind === 'consciousness') {
    return { type: 'CWE', code: components(consciousnessCode.loinc, consciousnessCode.display, 'LN'), value: components(reading.value, acvpuWords[reading.value], '99ACVPU'), units: '', flag: '' };
  }
  const { loinc, display, unit } = vitals[reading.kind];
  const code = components(loinc, escapeText(display), 'LN');
  const units = components(escapeText(unit), escapeText(unitDisplay[unit]), 'UCUM');
  const comparator = 'comparator' in reading ? reading.comparator : undefined;
  if (comparator === undefined) return { type: 'NM', code, value: String(reading.value), units, flag: '' };
  // SN: the comparator, then the number; HH or LL, as the FHIR export's interpretation says.
  return { type: 'SN', code, value: components(escapeText(comparator), String(reading.value)), units, flag: comparator === '>' ? 'HH' : 'LL' };
}

function obx(reading: RecordedObservation, setId: number): string {
  const { type, code, value, units, flag } = valueFields(reading);
  const fields = Array<string>(18).fill('');
  fields[0] = String(setId);
  fields[1] = type;
  fields[2] = code;
  fields[4] = value;
  fields[5] = units;
  fields[7] = flag;
  fields[10] = 'F';
  fields[13] = dtm(reading.effectiveAt);
  fields[15] = escapeText(reading.recordedBy);
  if (reading.source.type === 'device') {
    const { device } = reading.source;
    fields[17] = components(escapeText(device.serial ?? [device.manufacturer, device.model].filter(Boolean).join(' ')), escapeText(device.driver));
  }
  return segment('OBX', fields);
}

function oxygenNote(reading: RecordedObservation): string[] {
  if (reading.kind !== 'spo2' || reading.onOxygen === undefined) return [];
  return [segment('NTE', ['1', 'L', reading.onOxygen ? 'Breathing supplemental oxygen' : 'Breathing air'])];
}

/** One visit as an ORU^R01; `readings` are the visit's own (any order: they are sent in the order they were measured). */
export async function visitOruR01(patient: Patient, visit: Visit, readings: readonly RecordedObservation[], context: OruContext): Promise<string> {
  const listed = new Set(visit.observationIds);
  if (readings.some((reading) => !listed.has(reading.id) || reading.patientId !== patient.id) || visit.patientId !== patient.id) throw new Error('a reading given with a visit is not one of its readings');
  const msh = [
    'MSH',
    '^~\\&',
    sendingApplication,
    escapeText(context.clinic.name),
    escapeText(context.receiving.application),
    escapeText(context.receiving.facility),
    dtm(context.sentAt),
    '',
    'ORU^R01^ORU_R01',
    await controlIdOf(visit),
    'P',
    '2.5.1',
    '',
    '',
    '',
    '',
    '',
    'UNICODE UTF-8',
  ].join('|');
  const ordered = [...readings].sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt));
  const results = ordered.flatMap((reading, i) => [obx(reading, i + 1), ...oxygenNote(reading)]);
  return [msh, pid(patient, context.clinic.clinicId), pv1(visit), obr(visit), ...results].join(segmentSeparator) + segmentSeparator;
}
