import { buildAuditEvent } from '../audit/audit-event';
import { appendEntry, type AuditEntry } from '../audit/hash-chain';
import type { StaffSummary } from '../contract/data-api';
import type { DeviceIdentity } from '../devices/decoded-item';
import { observationSchema, type ObservationOf, type RecordedObservation } from '../observations/observation';
import { generateClinicNumber } from '../patients/clinic-number';
import { patientSchema, type Patient } from '../patients/patient';
import { vitals, type VitalKind } from '../terminology/vitals';

/** Domain records for the FHIR mapping tests (here and in tools/fhir/conformance.test.ts). */

export const clinicId = 'clinic-5b1f0c7e9d2a4e6f8a3b1c0d9e8f7a6b';
export const workstationId = 'ws-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const nurseId = 'user-7c6b5a4938271605f4e3d2c1b0a99887';
export const patientId = 'pat-3e2d1c0b9a8f7e6d5c4b3a2918273645';
export const at = '2025-06-15T09:30:00+02:00';
export const clinicNumber = generateClinicNumber(() => new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]));

export const oximeter: DeviceIdentity = { driver: 'cms50d', manufacturer: 'Contec', model: 'CMS50D+', serial: 'SN123' };
export const glucometer: DeviceIdentity = { driver: 'contour-next', manufacturer: 'Ascensia', model: 'Contour Next USB', serial: 'CN-4471' };

let counter = 0;
/** A fresh store-shaped reading id (`obs-<32 hex>`), as the capture screen makes them. */
export function readingId(): string {
  return `obs-${(++counter).toString(16).padStart(32, '0')}`;
}

/** A reading as the store holds it, validated by the store's own schema. */
export function reading(kind: VitalKind | 'consciousness', value: number | string, extra: Record<string, unknown> = {}): RecordedObservation {
  const coded = kind === 'consciousness' ? { kind, code: '67775-7', value } : { kind, code: vitals[kind].loinc, value, unit: vitals[kind].unit };
  return observationSchema.parse({
    id: readingId(),
    patientId,
    effectiveAt: at,
    recordedAt: at,
    recordedBy: nurseId,
    source: { type: 'manual' },
    ...coded,
    ...extra,
  });
}

export function fromDevice(device: DeviceIdentity, raw = '0a1b2c'): { source: { type: 'device'; device: DeviceIdentity; raw: string } } {
  return { source: { type: 'device', device, raw } };
}

export function ofKind<K extends RecordedObservation['kind']>(kind: K, o: RecordedObservation): ObservationOf<K> {
  if (o.kind !== kind) throw new Error(`expected ${kind}`);
  return o as ObservationOf<K>;
}

export function patient(extra: Record<string, unknown> = {}): Patient {
  return patientSchema.parse({
    id: patientId,
    clinicNumber,
    givenNames: 'Mary Anne',
    familyName: 'Banda',
    sex: 'female',
    birthDate: '1987-03-14',
    phone: '+260971234567',
    village: 'Chipata',
    address: 'Plot 12, near the borehole',
    nationalId: '123456/78/1',
    createdAt: '2025-06-01T08:00:00+02:00',
    updatedAt: '2025-06-01T08:00:00+02:00',
    ...extra,
  });
}

export const nurse: StaffSummary = { id: nurseId, username: 'mbanda', displayName: 'Martha Banda', role: 'nurse', disabled: false };

export function auditEntry(): Promise<AuditEntry> {
  const event = buildAuditEvent({
    kind: 'observation.create',
    userId: nurseId,
    role: 'nurse',
    workstationId,
    recorded: new Date('2025-06-15T07:30:00Z'),
    patientId,
    detail: { readings: 4 },
  });
  return appendEntry(undefined, event, workstationId);
}
