import { requirePermission } from '../../app/auth/roles';
import { SealError } from '../../app/crypto/seal';
import { generateClinicNumber } from '../../app/patients/clinic-number';
import { fieldErrors, patientInputSchema, patientSchema, type Patient } from '../../app/patients/patient';
import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { toPatientSearchEntry } from '../../app/search/patient-entry';
import { createPatientIndex, type PatientSearchHit } from '../../app/search/patient-index';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { newId } from './ids';
import type { Session } from './session';
import { StoreError } from './store-error';

export interface IndexReport {
  patients: number;
  /** Ids of records that could not be opened (tampered or damaged); kept as they are, never dropped. */
  unreadable: string[];
}

const searchAuditEveryMs = 60_000;
const decryptBatch = 512;

/**
 * Patients: register, edit, open a chart, search. Every call checks the
 * caller's role and writes an audit entry; every record is sealed before it
 * touches the database. Search runs over an in-memory index built at unlock
 * from the decrypted records and dropped at lock.
 */
export function createPatientRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }) {
  const now = options.now ?? (() => Date.now());
  let index: ReturnType<typeof createPatientIndex> | undefined;
  let searchesSinceAudit = 0;
  let lastSearchAudit = 0;

  function parseInput(input: unknown) {
    const parsed = patientInputSchema.safeParse(input);
    if (!parsed.success) throw new StoreError('invalid', 'Some patient details need correcting.', fieldErrors(parsed.error));
    return parsed.data;
  }

  /** 40 random bits rarely collide, but a clinic number must name one patient: draw again if this workstation knows it. */
  function unusedClinicNumber(): string {
    for (;;) {
      const candidate = generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n)));
      if (!index?.search(candidate, 1).some((hit) => hit.entry.clinicNumber === candidate)) return candidate;
    }
  }

  async function write(session: Session, patient: Patient): Promise<void> {
    const record = await sealRecord(
      session.dataKey,
      { id: patient.id, type: 'patient', clinicId: session.clinicId, subject: patient.id, updatedAt: now(), hlc: options.clock.tick(), deleted: false },
      patient,
    );
    await db.records.upsert(record);
    index?.replace(toPatientSearchEntry(patient));
  }

  async function open(session: Session, record: SealedRecord): Promise<Patient> {
    const payload = await openRecord(session.dataKey, record);
    const patient = patientSchema.safeParse(payload);
    if (!patient.success || patient.data.id !== record.id) throw new StoreError('unreadable_record', `Record ${record.id} is damaged.`);
    return patient.data;
  }

  async function read(session: Session, id: string): Promise<Patient> {
    const doc = await db.records.findOne({ selector: { id, type: 'patient' } }).exec();
    if (!doc) throw new StoreError('not_found', 'There is no such patient.');
    return open(session, doc.toMutableJSON());
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
      return patient;
    },

    /** Decrypts every patient into the search index. Records that fail to open are reported, not dropped. */
    async buildIndex(session: Session): Promise<IndexReport> {
      requirePermission(session, 'patient.read');
      const docs = await db.records.find({ selector: { type: 'patient', deleted: false } }).exec();
      const fresh = createPatientIndex();
      const unreadable: string[] = [];
      for (let i = 0; i < docs.length; i += decryptBatch) {
        const opened = await Promise.all(
          docs.slice(i, i + decryptBatch).map((doc) =>
            open(session, doc.toMutableJSON()).catch((error: unknown) => {
              if (error instanceof SealError || error instanceof StoreError) {
                unreadable.push(doc.id);
                return undefined;
              }
              throw error;
            }),
          ),
        );
        fresh.addAll(opened.filter((p): p is Patient => p !== undefined).map(toPatientSearchEntry));
      }
      index = fresh;
      return { patients: fresh.size, unreadable };
    },

    /** Search as you type. Results show names, so searching is audited too, at most once a minute with a count. */
    search(session: Session, query: string, limit = 20): PatientSearchHit[] {
      requirePermission(session, 'patient.read');
      if (!index) throw new StoreError('locked', 'The patient list is not open.');
      const hits = index.search(query, limit);
      searchesSinceAudit++;
      if (now() - lastSearchAudit >= searchAuditEveryMs) {
        void audit.record(session, { kind: 'patient.search', detail: { queries: searchesSinceAudit } }).catch(() => undefined);
        searchesSinceAudit = 0;
        lastSearchAudit = now();
      }
      return hits;
    },

    /** Forgets every decrypted patient (on lock). */
    dropIndex(): void {
      index?.clear();
      index = undefined;
    },
  };
}
export type PatientRepository = ReturnType<typeof createPatientRepository>;
