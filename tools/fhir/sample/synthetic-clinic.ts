import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { ClinicInput } from '../../../app/fhir/organization';
import type { StaffForExport } from '../../../app/fhir/practitioner';
import type { WorkstationInput } from '../../../app/fhir/device';
import type { DeviceIdentity } from '../../../app/devices/decoded-item';
import { observationSchema, type RecordedObservation } from '../../../app/observations/observation';
import { generateClinicNumber } from '../../../app/patients/clinic-number';
import { patientSchema, type Patient } from '../../../app/patients/patient';
import { vitals, type VitalKind } from '../../../app/terminology/vitals';
import { visitsOf, type Visit } from '../../../app/visits/visit';

/**
 * A made-up clinic for `clinic-fhir sample`: staff, a workstation, and
 * patients with several visits of vital signs, weights and glucose results
 * (some beyond the meter's range), from the devices the app has drivers for.
 * Every patient and reading passes the store's own schemas, so the export
 * that follows runs on what the app itself would hold. The same seed gives
 * the same clinic, byte for byte: times count from a fixed day, not today.
 */

export interface SyntheticClinic {
  clinic: ClinicInput;
  workstation: WorkstationInput;
  staff: StaffForExport[];
  /** Each patient with their visits and readings, generated one at a time (a large sample is never held whole). */
  patients(): AsyncGenerator<SyntheticPatient>;
}

export interface SyntheticPatient {
  patient: Patient;
  visits: Visit[];
  readings: RecordedObservation[];
}

type Random = ReturnType<typeof xoroshiro128plus>;

const givenNames = ['Amina', 'Joseph', 'Grace', 'Baraka', 'Neema', 'Emmanuel', 'Rehema', 'Daudi', 'Zawadi', 'Juma', 'Mwanaisha', 'Peter', 'Halima', 'Salim', 'Esther', 'Chiku'];
const familyNames = ['Diallo', 'Mwangi', 'Banda', 'Phiri', 'Mollel', 'Kimaro', 'Otieno', 'Njoroge', 'Mushi', 'Lyimo', 'Tembo', 'Mbwana', 'Massawe', 'Swai'];
const villages = ['Kisiwa', 'Mto wa Mbu', 'Engaruka', 'Selela', 'Majengo', 'Kigongoni'];
const sexes = ['female', 'male'] as const;

const oximeter: DeviceIdentity = { driver: 'cms50d', manufacturer: 'Contec', model: 'CMS50D+', serial: 'CMS-0412' };
const glucometers: DeviceIdentity[] = [
  { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next USB', serial: 'CN-4471' },
  { driver: 'onetouch-ultra2', manufacturer: 'LifeScan', model: 'OneTouch Ultra 2', serial: 'OTU-90217' },
];
// The scale reports neither maker nor serial; nothing tells two apart.
const scale: DeviceIdentity = { driver: 'hid-scale', manufacturer: '', model: '' };

/** Visits fall in the year before this day. */
const sampleDay = Date.parse('2025-06-30T08:00:00+02:00');
const dayMs = 86_400_000;

const pick = <T>(random: Random, items: readonly T[]): T => items[uniformInt(random, 0, items.length - 1)]!;
const chance = (random: Random, percent: number) => uniformInt(random, 1, 100) <= percent;
const hex = (random: Random, digits: number) => Array.from({ length: digits }, () => uniformInt(random, 0, 15).toString(16)).join('');
const between = (random: Random, low: number, high: number, decimals = 0) => {
  const scaleBy = 10 ** decimals;
  return uniformInt(random, Math.round(low * scaleBy), Math.round(high * scaleBy)) / scaleBy;
};
/** East Africa Time, as the clinic's clocks show it. */
const isoAt = (ms: number) => `${new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19)}+03:00`;

export function syntheticClinic(options: { patients: number; seed: number }): SyntheticClinic {
  const random = xoroshiro128plus(options.seed);
  const clinic = { clinicId: `clinic-${hex(random, 32)}`, name: 'Kisiwa Sample Health Centre' };
  const workstation = { workstationId: `ws-${hex(random, 32)}`, name: 'Front desk' };
  const staff: StaffForExport[] = [
    { id: `user-${hex(random, 32)}`, displayName: 'Asha Mollel', role: 'admin', disabled: false },
    { id: `user-${hex(random, 32)}`, displayName: 'Martha Banda', role: 'nurse', disabled: false },
    { id: `user-${hex(random, 32)}`, displayName: 'Daniel Otieno', role: 'nurse', disabled: false },
    { id: `user-${hex(random, 32)}`, displayName: 'Dr Faraja Swai', role: 'clinician', disabled: true },
  ];
  const nurses = staff.filter((person) => person.role !== 'admin');

  async function* patients(): AsyncGenerator<SyntheticPatient> {
    for (let n = 0; n < options.patients; n++) {
      const registeredAt = sampleDay - 365 * dayMs + uniformInt(random, 0, 30) * dayMs;
      const patient = patientSchema.parse({
        id: `pat-${hex(random, 32)}`,
        clinicNumber: generateClinicNumber((count) => Uint8Array.from({ length: count }, () => uniformInt(random, 0, 255))),
        givenNames: pick(random, givenNames),
        familyName: pick(random, familyNames),
        sex: pick(random, sexes),
        // One in four knows only roughly how old they are.
        ...(chance(random, 25) ? { estimatedAgeYears: uniformInt(random, 1, 85) } : { birthDate: `${uniformInt(random, 1940, 2023)}-${String(uniformInt(random, 1, 12)).padStart(2, '0')}-${String(uniformInt(random, 1, 28)).padStart(2, '0')}` }),
        ...(chance(random, 70) ? { phone: `+255 7${uniformInt(random, 10, 89)} ${uniformInt(random, 100, 999)} ${uniformInt(random, 100, 999)}` } : {}),
        village: pick(random, villages),
        ...(chance(random, 30) ? { nationalId: `${uniformInt(random, 19400101, 20231231)}-${uniformInt(random, 10000, 99999)}-${uniformInt(random, 10000, 99999)}-${uniformInt(random, 10, 99)}` } : {}),
        createdAt: isoAt(registeredAt),
        updatedAt: isoAt(registeredAt),
      });
      const visits: Visit[] = [];
      const readings: RecordedObservation[] = [];
      let day = registeredAt;
      for (let v = uniformInt(random, 1, 4); v > 0 && day < sampleDay; v--) {
        const nurse = pick(random, nurses);
        const own = visitReadings(random, patient.id, nurse.id, day);
        readings.push(...own);
        visits.push(...(await visitsOf(own, nurse.id)));
        day += uniformInt(random, 14, 120) * dayMs;
      }
      yield { patient, visits, readings };
    }
  }

  return { clinic, workstation, staff, patients };
}

/** One visit's readings: a full NEWS2 set most of the time, a weight often, a glucose sometimes (now and then beyond the meter's range). */
function visitReadings(random: Random, patientId: string, recordedBy: string, day: number): RecordedObservation[] {
  const start = day + uniformInt(random, 0, 8 * 60) * 60_000;
  const recordedAt = isoAt(start + 10 * 60_000);
  const drafts: Record<string, unknown>[] = [];
  let minute = 0;
  const add = (kind: VitalKind | 'consciousness', value: number | string, extra: Record<string, unknown> = {}) => {
    const coded = kind === 'consciousness' ? { code: '67775-7' } : { code: vitals[kind].loinc, unit: vitals[kind].unit };
    drafts.push({ id: `obs-${hex(random, 32)}`, patientId, kind, value, ...coded, effectiveAt: isoAt(start + minute++ * 60_000), recordedAt, recordedBy, source: { type: 'manual' }, ...extra });
  };
  const fromDevice = (device: DeviceIdentity) => ({ source: { type: 'device', device, raw: hex(random, 16) } });
  if (chance(random, 80)) {
    const unwell = chance(random, 15);
    add('respiratoryRate', unwell ? uniformInt(random, 21, 30) : uniformInt(random, 12, 20));
    add('spo2', unwell ? uniformInt(random, 88, 95) : uniformInt(random, 96, 100), { ...fromDevice(oximeter), onOxygen: unwell && chance(random, 40), spo2Scale: 1 });
    add('pulse', unwell ? uniformInt(random, 100, 135) : uniformInt(random, 55, 95), fromDevice(oximeter));
    add('systolic', unwell ? uniformInt(random, 85, 105) : uniformInt(random, 105, 150));
    drafts.at(-1)!.effectiveAt = isoAt(start + minute * 60_000);
    add('diastolic', uniformInt(random, 55, 95));
    drafts.at(-1)!.effectiveAt = drafts.at(-2)!.effectiveAt;
    add('bodyTemperature', unwell ? between(random, 38.1, 39.6, 1) : between(random, 36.1, 37.4, 1));
    add('consciousness', unwell && chance(random, 20) ? 'C' : 'A');
  }
  if (chance(random, 60)) add('bodyWeight', between(random, 8, 95, 1), fromDevice(scale));
  if (chance(random, 30)) {
    const meter = pick(random, glucometers);
    const roll = uniformInt(random, 1, 100);
    // HI and LO: the meter's limits with a comparator, as the drivers report them.
    if (roll <= 5) add('glucoseMass', 600, { ...fromDevice(meter), comparator: '>' });
    else if (roll <= 8) add('glucoseMass', 20, { ...fromDevice(meter), comparator: '<' });
    else add('glucoseMass', uniformInt(random, 70, 250), fromDevice(meter));
  }
  if (drafts.length === 0) add('pulse', uniformInt(random, 55, 95), fromDevice(oximeter));
  return drafts.map((draft) => observationSchema.parse(draft));
}
