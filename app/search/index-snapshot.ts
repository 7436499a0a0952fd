import type { AsPlainObject } from 'minisearch';
import { sexes, type Sex } from '../patients/patient';
import type { PatientSearchEntry } from './search-entry';

const format = 'clinic-workstation/patient-index';
/** Bump when tokenizing or the entry layout changes: older snapshots are then rebuilt, not misread. */
const version = 2;

/** One entry as an array: a third the size of objects with repeated keys, and faster to parse. */
type EntryRow = [
  id: string,
  clinicNumber: string,
  givenNames: string,
  familyName: string,
  sex: string,
  nationalId: string | null,
  phone: string | null,
  village: string | null,
  birthYear: number | null,
  estimatedAgeYears: number | null,
  estimatedAt: string | null,
];

export interface IndexSnapshot {
  entries: PatientSearchEntry[];
  names: AsPlainObject;
}

function toRow(entry: PatientSearchEntry): EntryRow {
  return [
    entry.id,
    entry.clinicNumber,
    entry.givenNames,
    entry.familyName,
    entry.sex,
    entry.nationalId ?? null,
    entry.phone ?? null,
    entry.village ?? null,
    entry.birthYear ?? null,
    entry.estimatedAge?.years ?? null,
    entry.estimatedAge?.registeredAt ?? null,
  ];
}

export function encodeSnapshot(entries: Iterable<PatientSearchEntry>, names: AsPlainObject): string {
  return JSON.stringify({ format, version, entries: Array.from(entries, toRow), names });
}

/** Errors say what is wrong with the snapshot's shape, never what it contains. */
export class PatientIndexSnapshotError extends Error {
  constructor(reason: string) {
    super(`patient index snapshot: ${reason}`);
    this.name = 'PatientIndexSnapshotError';
  }
}

const sexSet = new Set<string>(sexes);
const isSex = (value: unknown): value is Sex => typeof value === 'string' && sexSet.has(value);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): value is string | null => value === null || typeof value === 'string';

function fromRow(row: unknown): PatientSearchEntry {
  if (!Array.isArray(row) || row.length !== 11) throw new PatientIndexSnapshotError('malformed entry');
  const [id, clinicNumber, givenNames, familyName, sex, nationalId, phone, village, birthYear, estimatedAgeYears, estimatedAt] = row as unknown[];
  if (
    typeof id !== 'string' ||
    typeof clinicNumber !== 'string' ||
    typeof givenNames !== 'string' ||
    typeof familyName !== 'string' ||
    !isSex(sex) ||
    !optionalString(nationalId) ||
    !optionalString(phone) ||
    !optionalString(village) ||
    !(birthYear === null || Number.isInteger(birthYear)) ||
    !(estimatedAgeYears === null || Number.isInteger(estimatedAgeYears)) ||
    !optionalString(estimatedAt) ||
    (estimatedAgeYears === null) !== (estimatedAt === null)
  ) {
    throw new PatientIndexSnapshotError('malformed entry');
  }
  const entry: PatientSearchEntry = { id, clinicNumber, givenNames, familyName, sex };
  if (nationalId !== null) entry.nationalId = nationalId;
  if (phone !== null) entry.phone = phone;
  if (village !== null) entry.village = village;
  if (typeof birthYear === 'number') entry.birthYear = birthYear;
  if (typeof estimatedAgeYears === 'number' && typeof estimatedAt === 'string') entry.estimatedAge = { years: estimatedAgeYears, registeredAt: estimatedAt };
  return entry;
}

/**
 * Reads a snapshot written by {@link encodeSnapshot}. The entries are checked
 * field by field; the MiniSearch part only for presence, since MiniSearch
 * checks its own serialization version and the snapshot is sealed (encrypted
 * and authenticated) at rest.
 */
export function decodeSnapshot(json: string): IndexSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new PatientIndexSnapshotError('not JSON');
  }
  if (!isRecord(parsed) || parsed.format !== format) throw new PatientIndexSnapshotError('not a patient index');
  if (parsed.version !== version) throw new PatientIndexSnapshotError('written by another version; rebuild the index');
  if (!Array.isArray(parsed.entries) || !isRecord(parsed.names)) throw new PatientIndexSnapshotError('incomplete');
  return { entries: parsed.entries.map(fromRow), names: parsed.names as AsPlainObject };
}
