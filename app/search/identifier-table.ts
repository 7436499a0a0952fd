import { clinicNumberChars, clinicNumberLength } from '../patients/clinic-number';
import { nationalIdKey, phoneDigits, phoneQueryDigits } from './identifier-keys';
import { KeyColumn } from './key-column';
import type { PatientSearchEntry } from './search-entry';

/** Shortest part of a clinic number or national ID looked up by its start; shorter ones only match whole. */
const minIdentifierPrefix = 4;
/** A stored number shorter than this is not trusted to be the end of a longer typed one. */
const minPhoneForSuffixMatch = 7;
/** Removed rows tolerated before the columns are rebuilt without them. */
const minDeadRowsToCompact = 1000;

export interface IdentifierMatch {
  id: string;
  /** The whole clinic number or national ID was typed. */
  exact: boolean;
  /** How well it matched, in (0, 1]. */
  quality: number;
}

/** Canonical clinic numbers need only their dashes dropped; anything else goes the slow way. */
const canonicalClinicNumber = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;

const hasDigit = (text: string) => /\d/.test(text);

function clinicNumberKey(clinicNumber: string): string {
  if (canonicalClinicNumber.test(clinicNumber)) return clinicNumber.slice(0, 4) + clinicNumber.slice(5, 9) + clinicNumber.slice(10);
  return clinicNumberChars(clinicNumber) ?? '';
}

/**
 * Clinic numbers, national IDs and phone numbers, one {@link KeyColumn} each,
 * all with the same rows. A change appends a row and leaves the old one dead
 * (skipped when found), so registering a patient never waits for a rebuild;
 * the columns are compacted once a quarter of the rows are dead.
 */
export class IdentifierTable {
  private readonly rowOf = new Map<string, number>();
  /** Undefined for a dead row. */
  private ids: (string | undefined)[] = [];
  private deadRows = 0;
  private readonly clinicNumbers = new KeyColumn();
  private readonly nationalIds = new KeyColumn();
  private readonly phones = new KeyColumn();
  /**
   * Rows whose national ID has no digit (rare: the schemes we know all have
   * digits). A query without a digit is looked up among national IDs only
   * while some exist: each lookup reads the whole column, and name queries,
   * most of all queries, paid that every time (0.3-0.5 ms of a 2.5 ms search
   * over 100,000 patients). The price: the letters alone of an ID that has
   * digits ("ABCD" of "ABCD123456") no longer find it; its digits do.
   */
  private letterOnlyNationalIds = 0;

  set(entry: PatientSearchEntry): void {
    this.kill(entry.id);
    this.append(
      entry.id,
      clinicNumberKey(entry.clinicNumber),
      entry.nationalId === undefined ? '' : nationalIdKey(entry.nationalId),
      entry.phone === undefined ? '' : phoneDigits(entry.phone),
    );
  }

  delete(id: string): void {
    this.kill(id);
    if (this.deadRows >= minDeadRowsToCompact && this.deadRows * 4 >= this.ids.length) this.compact();
  }

  clear(): void {
    this.rowOf.clear();
    this.ids = [];
    this.deadRows = 0;
    this.clinicNumbers.clear();
    this.nationalIds.clear();
    this.phones.clear();
    this.letterOnlyNationalIds = 0;
  }

  private append(id: string, clinicNumber: string, nationalId: string, phone: string): void {
    this.rowOf.set(id, this.ids.length);
    this.ids.push(id);
    this.clinicNumbers.append(clinicNumber);
    this.nationalIds.append(nationalId);
    if (nationalId !== '' && !hasDigit(nationalId)) this.letterOnlyNationalIds += 1;
    this.phones.append(phone);
  }

  private kill(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    this.rowOf.delete(id);
    this.ids[row] = undefined;
    this.deadRows += 1;
  }

  private compact(): void {
    const live = this.ids.flatMap((id, row) =>
      id === undefined ? [] : [[id, this.clinicNumbers.keyAt(row), this.nationalIds.keyAt(row), this.phones.keyAt(row)] as const],
    );
    this.clear();
    for (const [id, clinicNumber, nationalId, phone] of live) this.append(id, clinicNumber, nationalId, phone);
  }

  /** Patients whose clinic number, national ID or phone number the query reads as. */
  find(query: string): IdentifierMatch[] {
    const matches: IdentifierMatch[] = [];
    const add = (row: number, exact: boolean, quality: number) => {
      const id = this.ids[row];
      if (id !== undefined) matches.push({ id, exact, quality });
    };

    const clinicNumber = clinicNumberChars(query);
    if (clinicNumber !== undefined && clinicNumber.length >= minIdentifierPrefix && clinicNumber.length <= clinicNumberLength) {
      for (const { row } of this.clinicNumbers.findPrefix(clinicNumber)) {
        add(row, clinicNumber.length === clinicNumberLength, clinicNumber.length / clinicNumberLength);
      }
    }

    const nationalId = nationalIdKey(query);
    if (/^[\p{L}\p{N}]+$/u.test(nationalId) && (hasDigit(nationalId) || this.letterOnlyNationalIds > 0)) {
      if (nationalId.length < minIdentifierPrefix) {
        for (const row of this.nationalIds.findWhole(nationalId)) add(row, true, 1);
      } else {
        for (const { row, whole, keyLength } of this.nationalIds.findPrefix(nationalId)) add(row, whole, nationalId.length / keyLength);
      }
    }

    const phone = phoneQueryDigits(query);
    if (phone !== undefined) {
      for (const { row, endsWith } of this.phones.findContaining(phone)) add(row, false, endsWith ? 1 : 0.7);
      // Typed with a country code, stored without one.
      for (let length = minPhoneForSuffixMatch; length < phone.length; length += 1) {
        for (const row of this.phones.findWhole(phone.slice(-length))) add(row, false, 1);
      }
    }
    return matches;
  }
}
