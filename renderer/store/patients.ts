import type { IndexReport } from '../../app/contract/data-api';
import { requirePermission } from '../../app/auth/roles';
import { generateClinicNumber } from '../../app/patients/clinic-number';
import { fieldErrors, patientInputSchema, type Patient } from '../../app/patients/patient';
import { RecentPatients } from '../../app/patients/recent-patients';
import { sealRecord } from '../../app/records/sealed-record';
import { toPatientSearchEntry } from '../../app/search/patient-entry';
import type { PatientSearchEntry, PatientSearchHit } from '../../app/search/patient-index';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { newId } from './ids';
import type { LocalState } from './local-state';
import { applyChanges, loadIndex, openPatient, saveIndex, type IndexProgress, type IndexState } from './patient-index-cache';
import type { Session } from './session';
import { StoreError } from './store-error';

export type { IndexReport } from '../../app/contract/data-api';

const searchAuditEveryMs = 60_000;

/**
 * Patients: register, edit, open a chart, search. Every call checks the
 * caller's role and writes an audit entry; every record is sealed before it
 * touches the database. Search runs over an in-memory index built at unlock
 * from the decrypted records and dropped at lock.
 */
/** Patients and their search index; each call checks the session's role. */
export interface PatientRepository {
  register(session: Session, input: unknown): Promise<Patient>;
  update(session: Session, id: string, input: unknown): Promise<Patient>;
  /** Opens one chart; the read is audited. */
  get(session: Session, id: string): Promise<Patient>;
  recent(session: Session): Readonly<PatientSearchEntry>[];
  labels(session: Session, ids: readonly string[]): Map<string, Readonly<PatientSearchEntry>>;
  openIndex(session: Session, onProgress?: IndexProgress): Promise<IndexReport>;
  search(session: Session, query: string, limit?: number): PatientSearchHit[];
  catchUp(session: Session): Promise<void>;
  closeIndex(session: Session): Promise<void>;
}

export function createPatientRepository(db: ClinicDatabase, local: LocalState, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): PatientRepository {
  const now = options.now ?? (() => Date.now());
  let loaded: IndexState | undefined;
  const index = () => loaded?.index;
  let searchesSinceAudit = 0;
  let lastSearchAudit = 0;
  // Kept beside the index and dropped with it: which charts were opened is about patients too.
  const recentlyOpened = new RecentPatients();

  function parseInput(input: unknown) {
    const parsed = patientInputSchema.safeParse(input);
    if (!parsed.success) throw new StoreError('invalid', 'Some patient details need correcting.', fieldErrors(parsed.error));
    return parsed.data;
  }

  /** 40 random bits rarely collide, but a clinic number must name one patient: draw again if this workstation knows it. */
  function unusedClinicNumber(): string {
    for (;;) {
      const candidate = generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n)));
      if (!index()?.search(candidate, 1).some((hit) => hit.entry.clinicNumber === candidate)) return candidate;
    }
  }

  async function write(session: Session, patient: Patient): Promise<void> {
    const record = await sealRecord(
      session.dataKey,
      { id: patient.id, type: 'patient', clinicId: session.clinicId, subject: patient.id, updatedAt: now(), hlc: options.clock.tick(), deleted: false },
      patient,
    );
    // Indexed here from the payload in hand: the change feed bringing this same text back does not open it again.
    loaded?.writtenHere.set(record.id, record.sealed);
    await db.records.upsert(record);
    index()?.replace(toPatientSearchEntry(patient));
    loaded?.unreadable.delete(record.id);
  }

  async function read(session: Session, id: string): Promise<Patient> {
    const doc = await db.records.findOne({ selector: { id, type: 'patient' } }).exec();
    if (!doc) throw new StoreError('not_found', 'There is no such patient.');
    return openPatient(session, doc.toMutableJSON());
  }

  return {
    async register(session: Session, input: unknown): Promise<Patient> {
      requirePermission(session, 'patient.write');
      const fields = parseInput(input);
      const at = new Date(now()).toISOString();
      const patient: Patient = {
        ...fields,
        id: newId('pat'),
        clinicNumber: unusedClinicNumber(),
        createdAt: at,
        updatedAt: at,
      };
      await write(session, patient);
      await audit.record(session, { kind: 'patient.create', patientId: patient.id });
      return patient;
    },

    async update(session: Session, id: string, input: unknown): Promise<Patient> {
      requirePermission(session, 'patient.write');
      const fields = parseInput(input);
      const current = await read(session, id);
      const patient: Patient = { ...fields, id, clinicNumber: current.clinicNumber, createdAt: current.createdAt, updatedAt: new Date(now()).toISOString() };
      await write(session, patient);
      await audit.record(session, { kind: 'patient.update', patientId: id });
      return patient;
    },

    /** Opens one chart; the read is audited. */
    async get(session: Session, id: string): Promise<Patient> {
      requirePermission(session, 'patient.read');
      const patient = await read(session, id);
      await audit.record(session, { kind: 'patient.read', patientId: id });
      recentlyOpened.opened(session.userId, id);
      return patient;
    },

    /** The patients this person opened most recently in this session, newest first, as the search index has them. */
    recent(session: Session): Readonly<PatientSearchEntry>[] {
      requirePermission(session, 'patient.read');
      const open = index();
      if (!open) return [];
      return recentlyOpened.list(session.userId).flatMap((id) => open.get(id) ?? []);
    },

    /**
     * Who the patients named by id are (name, clinic number), as the search
     * index holds them decrypted in memory: for the audit log, which stores
     * only ids. No chart is opened, so nothing is audited; unknown ids are left out.
     */
    labels(session: Session, ids: readonly string[]): Map<string, Readonly<PatientSearchEntry>> {
      requirePermission(session, 'patient.read');
      const open = index();
      const found = new Map<string, Readonly<PatientSearchEntry>>();
      for (const id of ids) {
        const entry = open?.get(id);
        if (entry) found.set(id, entry);
      }
      return found;
    },

    /** Opens the search index: the sealed snapshot plus every record written since, or all records if there is none. */
    async openIndex(session: Session, onProgress?: IndexProgress): Promise<IndexReport> {
      requirePermission(session, 'patient.read');
      const state = await loadIndex(db, local, session, onProgress);
      loaded = state;
      // A first build is slow at clinic scale: keep it, so the next unlock is not. In the
      // background: the snapshot is only a cache of the records, so a failure loses nothing.
      if (state.changedSinceSnapshot > 0) void saveIndex(db, local, session, state).catch(() => undefined);
      return { patients: state.index.size, unreadable: [...state.unreadable] };
    },

    /** Search as you type. Results show names, so searching is audited too, at most once a minute with a count. */
    search(session: Session, query: string, limit = 20): PatientSearchHit[] {
      requirePermission(session, 'patient.read');
      const open = index();
      if (!open) throw new StoreError('locked', 'The patient list is not open.');
      const hits = open.search(query, limit);
      searchesSinceAudit++;
      if (now() - lastSearchAudit >= searchAuditEveryMs) {
        void audit.record(session, { kind: 'patient.search', detail: { queries: searchesSinceAudit } }).catch(() => undefined);
        searchesSinceAudit = 0;
        lastSearchAudit = now();
      }
      return hits;
    },

    /** Applies records written since the index last looked (pulled from the hub, merged), so search sees them. */
    async catchUp(session: Session): Promise<void> {
      const open = loaded;
      if (!open) return;
      const previous = open.catchingUp ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => applyChanges(db, session, open));
      open.catchingUp = next;
      await next;
    },

    /** Stores the index sealed for the next unlock, then forgets every decrypted patient. */
    async closeIndex(session: Session): Promise<void> {
      const closing = loaded;
      loaded = undefined;
      recentlyOpened.clear();
      if (closing) await saveIndex(db, local, session, closing).finally(() => closing.index.clear());
    },
  };
}
