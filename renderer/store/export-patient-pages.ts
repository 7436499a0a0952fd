import { getChangedDocumentsSince, type RxStorageDefaultCheckpoint } from 'rxdb';
import type { ExportScope } from '../../app/fhir/export/export-scope';
import type { SealedRecord } from '../../app/records/sealed-record';
import type { ClinicDatabase } from './database';
import type { ChangeMark } from './export-change-mark';

/**
 * The patients' records an export reads, a page at a time, in the order of
 * their ids: every patient for the whole clinic or a date range (a range is
 * applied to visits, app/fhir/export/export-scope.ts), the chosen ones, or
 * those with any record written since the change mark. Deleted patients
 * and ids that name no patient are passed over. An interrupted export
 * carries on after the last patient its files hold (`after`).
 */
export interface PatientPages {
  /** How many patients the pages hold at most (the progress bar's end), those before `after` included. */
  total: number;
  pages: AsyncIterable<PatientPage>;
}

export interface PatientPage {
  records: SealedRecord[];
  /** The last id this page covers (an export resumed from here starts after it); a page may hold no record. */
  last: string;
}

/** Patients read, decrypted and mapped between two writes (and two chances for a search to run). */
export const patientsPerPage = 100;

/** The records besides the patient's own that an export maps (fhir-export.ts). */
const exportedAbout = new Set<SealedRecord['type']>(['observation', 'visit', 'consent', 'referral', 'referralStatus']);

/** Records read per page of the change feed while gathering changed patients. */
const changesPerPage = 1000;

export async function patientPages(db: ClinicDatabase, scope: ExportScope, mark: ChangeMark | undefined, after = ''): Promise<PatientPages> {
  if (scope.kind === 'patients') return byIds(db, scope.patientIds, after);
  if (scope.kind === 'changed' && mark) return byIds(db, await patientsChangedSince(db, mark.checkpoint), after);
  // A count must match an index fully (RxDB refuses a slow one): deleted patients are in it, so it is an upper bound.
  const total = await db.records.count({ selector: { type: 'patient' } }).exec();
  return { total, pages: everyPatient(db, after) };
}

async function* everyPatient(db: ClinicDatabase, after: string): AsyncGenerator<PatientPage> {
  for (;;) {
    const page = await db.records.find({ selector: { deleted: false, type: 'patient', id: { $gt: after } }, sort: [{ id: 'asc' }], limit: patientsPerPage }).exec();
    if (page.length === 0) return;
    after = page.at(-1)!.id;
    yield { records: page.map((doc) => doc.toMutableJSON()), last: after };
  }
}

function byIds(db: ClinicDatabase, ids: readonly string[], after: string): PatientPages {
  const sorted = [...new Set(ids)].sort();
  return { total: sorted.length, pages: patientsByIds(db, sorted.filter((id) => id > after)) };
}

async function* patientsByIds(db: ClinicDatabase, ids: readonly string[]): AsyncGenerator<PatientPage> {
  for (let start = 0; start < ids.length; start += patientsPerPage) {
    const asked = ids.slice(start, start + patientsPerPage);
    const found = await db.records.findByIds(asked).exec();
    yield { records: [...found.values()].map((doc) => doc.toMutableJSON()).filter((record) => record.type === 'patient' && !record.deleted), last: asked.at(-1)! };
  }
}

/** The patients any record written after `checkpoint` is about (a patient's own record, or a reading or visit of theirs). */
async function patientsChangedSince(db: ClinicDatabase, checkpoint: RxStorageDefaultCheckpoint): Promise<string[]> {
  const patients = new Set<string>();
  let from = checkpoint;
  for (;;) {
    const page = await getChangedDocumentsSince(db.records.storageInstance, changesPerPage, from);
    for (const record of page.documents) {
      if (record.type === 'patient') patients.add(record.id);
      // What an export holds of a patient; an audit entry about one (a chart opened) changes none of it.
      else if (exportedAbout.has(record.type) && record.subject !== '') patients.add(record.subject);
    }
    if (page.documents.length < changesPerPage) return [...patients];
    from = page.checkpoint as RxStorageDefaultCheckpoint;
  }
}
