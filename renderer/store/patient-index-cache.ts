import { getChangedDocumentsSince, type RxDocumentData, type RxStorageDefaultCheckpoint } from 'rxdb';
import { SealError, openPayload, sealPayload } from '../../app/crypto/seal';
import { giveWay } from '../../app/scheduling/give-way';
import { patientSchema, type Patient } from '../../app/patients/patient';
import { openRecord, type SealedRecord } from '../../app/records/sealed-record';
import { toPatientSearchEntry } from '../../app/search/patient-entry';
import { createPatientIndex, loadPatientIndex, type PatientIndex } from '../../app/search/patient-index';
import type { ClinicDatabase } from './database';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * The patient search index, kept across locks as one sealed snapshot: unlock
 * opens the snapshot and applies only the records written since (RxDB's
 * change checkpoint), instead of decrypting every patient again. With no
 * snapshot, or one that fails to open, the same loop starts from the first
 * record, so the slow path and the fast path are one code path.
 */
export interface IndexState {
  index: PatientIndex;
  checkpoint: RxStorageDefaultCheckpoint | undefined;
  /** Records that could not be opened; kept as they are, listed for the admin. */
  unreadable: Set<string>;
  /** Changes applied since the snapshot was last written. */
  changedSinceSnapshot: number;
  /** The save under way, if any: saves run one at a time. */
  saving?: Promise<void>;
  /** The changes being applied, if any: a catch-up and a save's own catch-up run one after the other, never both at once. */
  applying?: Promise<void>;
  /**
   * Patients this workstation wrote while unlocked, already in the index: id →
   * the sealed text written. When the change feed brings that same text back,
   * it is not opened again; any other version of the record (merged, pulled) is.
   */
  writtenHere: Map<string, string>;
}

interface Snapshot {
  index: string;
  checkpoint: RxStorageDefaultCheckpoint | undefined;
  unreadable: string[];
}

const snapshotKey = 'patient-index-snapshot';
const pageSize = 5000;

/** Records opened so far out of those to open, for the unlock screen's progress bar. */
export type IndexProgress = (done: number, total: number) => void;
const context = (session: Session) => ['patient-index', session.clinicId, session.workstationId];

export async function openPatient(session: Session, record: SealedRecord): Promise<Patient> {
  const payload = await openRecord(session.dataKey, record);
  const patient = patientSchema.safeParse(payload);
  if (!patient.success || patient.data.id !== record.id) throw new StoreError('unreadable_record', `Record ${record.id} is damaged.`);
  return patient.data;
}

async function readSnapshot(local: LocalState, session: Session): Promise<IndexState | undefined> {
  const sealed = await local.get(snapshotKey);
  if (sealed === undefined) return undefined;
  try {
    const snapshot = (await openPayload(session.dataKey, context(session), sealed, 'The search index')) as Snapshot;
    return { index: loadPatientIndex(snapshot.index), checkpoint: snapshot.checkpoint, unreadable: new Set(snapshot.unreadable), changedSinceSnapshot: 0, writtenHere: new Map() };
  } catch {
    return undefined; // rebuilt from the records, which are the truth
  }
}

/** A version this workstation wrote and indexed, back from the change feed as it was written. */
function cameBack(state: IndexState, doc: { id: string; sealed: string; _deleted: boolean }): boolean {
  const written = state.writtenHere.get(doc.id);
  if (written === undefined) return false;
  state.writtenHere.delete(doc.id);
  return written === doc.sealed && !doc._deleted;
}

/** Records opened, or index entries replaced, between two chances for a search to run (a catch-up, not a first build). */
const entriesBetweenTurns = 100;

/**
 * Applies every record written after the state's checkpoint, up to the end of
 * the change feed as it stood on the last page read, moving the checkpoint
 * on. Calls on one state queue behind each other: two at once (the save after
 * a first unlock, and a catch-up as a pull brings records) would each open
 * every arriving record.
 */
export function applyChanges(db: ClinicDatabase, session: Session, state: IndexState, onProgress?: IndexProgress): Promise<void> {
  const next = (state.applying ?? Promise.resolve()).catch(() => undefined).then(() => applyChangesNow(db, session, state, onProgress));
  state.applying = next;
  return next;
}

async function applyChangesNow(db: ClinicDatabase, session: Session, state: IndexState, onProgress?: IndexProgress): Promise<void> {
  // Exact for a first build (every patient); an upper bound's worth for a few changes since a snapshot.
  const total = onProgress ? (state.checkpoint ? 0 : await db.records.count({ selector: { type: 'patient' } }).exec()) : 0;
  let done = 0;
  for (;;) {
    const page = await getChangedDocumentsSince(db.records.storageInstance, pageSize, state.checkpoint);
    if (page.documents.length === 0) return;
    const patients = page.documents.filter((doc) => doc.type === 'patient');
    const fresh = state.index.size === 0;
    const opened = await openAll(session, patients.filter((doc) => !cameBack(state, doc)), !fresh);
    const added: Patient[] = [];
    for (const [i, outcome] of opened.entries()) {
      // Replacing entries one by one is the slow way (a first build adds in bulk, below): while a pull
      // brings a clinic in, a page of them would hold a search back, so searches get turns in between.
      if (!fresh && i > 0 && i % entriesBetweenTurns === 0) await giveWay();
      if ('removed' in outcome) state.index.remove(outcome.id);
      else if ('unreadable' in outcome) {
        // What the index knew of it is no longer vouched for by the record.
        state.index.remove(outcome.id);
        state.unreadable.add(outcome.id);
      }
      else {
        state.unreadable.delete(outcome.id);
        if (fresh) added.push(outcome.patient);
        else state.index.replace(toPatientSearchEntry(outcome.patient));
      }
    }
    // A first build adds in bulk, which is several times faster than one by one.
    if (added.length) state.index.addAll(added.map(toPatientSearchEntry));
    state.checkpoint = page.checkpoint as RxStorageDefaultCheckpoint;
    state.changedSinceSnapshot += patients.length;
    done += patients.length;
    onProgress?.(done, Math.max(done, total));
    // A short page was the end of the change feed when read. Going round again until a page came back
    // empty would chase a pull for as long as it brings records (a nurse logging in during a first pull
    // waited for all of it); what arrives after this page is applied by the next catch-up (lock-state.ts).
    if (page.documents.length < pageSize) return;
  }
}

type Opened = { id: string; removed: true } | { id: string; unreadable: true } | { id: string; patient: Patient };

async function openOne(session: Session, doc: RxDocumentData<SealedRecord>): Promise<Opened> {
  if (doc._deleted || doc.deleted) return { id: doc.id, removed: true };
  const record: SealedRecord = { id: doc.id, type: doc.type, clinicId: doc.clinicId, subject: doc.subject, updatedAt: doc.updatedAt, hlc: doc.hlc, deleted: doc.deleted, sealed: doc.sealed };
  try {
    return { id: doc.id, patient: await openPatient(session, record) };
  } catch (error) {
    if (error instanceof SealError || error instanceof StoreError) return { id: doc.id, unreadable: true };
    throw error;
  }
}

/**
 * Opens a page of records. A first build opens them all at once (no one can
 * search yet); a catch-up while someone may be searching opens them a group
 * at a time with turns in between, as checking each opened patient against
 * its schema takes about 0.1 ms and a pull's worth of them held a search back
 * for 100-160 ms.
 */
async function openAll(session: Session, docs: RxDocumentData<SealedRecord>[], givingWay: boolean): Promise<Opened[]> {
  if (!givingWay) return Promise.all(docs.map((doc) => openOne(session, doc)));
  const opened: Opened[] = [];
  for (let at = 0; at < docs.length; at += entriesBetweenTurns) {
    if (at > 0) await giveWay();
    opened.push(...(await Promise.all(docs.slice(at, at + entriesBetweenTurns).map((doc) => openOne(session, doc)))));
  }
  return opened;
}

export async function loadIndex(db: ClinicDatabase, local: LocalState, session: Session, onProgress?: IndexProgress): Promise<IndexState> {
  const state = (await readSnapshot(local, session)) ?? { index: createPatientIndex(), checkpoint: undefined, unreadable: new Set<string>(), changedSinceSnapshot: 0, writtenHere: new Map<string, string>() };
  await applyChanges(db, session, state, onProgress);
  return state;
}

/** Brings the snapshot up to date; a no-op when nothing changed since it was written. Saves queue behind each other. */
export function saveIndex(db: ClinicDatabase, local: LocalState, session: Session, state: IndexState): Promise<void> {
  const next = (state.saving ?? Promise.resolve()).catch(() => undefined).then(() => writeSnapshot(db, local, session, state));
  state.saving = next;
  return next;
}

async function writeSnapshot(db: ClinicDatabase, local: LocalState, session: Session, state: IndexState): Promise<void> {
  await applyChanges(db, session, state);
  if (state.changedSinceSnapshot === 0) return;
  const snapshot: Snapshot = { index: state.index.toJSON(), checkpoint: state.checkpoint, unreadable: [...state.unreadable] };
  await local.put(snapshotKey, await sealPayload(session.dataKey, context(session), snapshot));
  state.changedSinceSnapshot = 0;
}
