import { requirePermission } from '../../app/auth/roles';
import { generateClinicNumber } from '../../app/patients/clinic-number';
import { fieldErrors, patientInputSchema, type Patient } from '../../app/patients/patient';
import { RecentPatients } from '../../app/patients/recent-patients';
import { sealRecord } from '../../app/records/sealed-record';
import { toPatientSearchEntry } from '../../app/search/patient-entry';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { newId } from './ids';
import type { LocalState } from './local-state';
import { openPatient } from './patient-index-cache';
import { createPatientSearch, type HeldPatients, type PatientSearch } from './patient-search';
import type { Session } from './session';
import { StoreError } from './store-error';

export type { IndexReport } from '../../app/contract/data-api';

/**
 * Patients: register, edit, open a chart, search. Every call checks the
 * caller's role and writes an audit entry; every record is sealed before it
 * touches the database. Search (patient-search.ts) runs over an in-memory
 * index built at unlock from the decrypted records and dropped at lock.
 */
export interface PatientRepository extends PatientSearch {
  register(session: Session, input: unknown): Promise<Patient>;
  update(session: Session, id: string, input: unknown): Promise<Patient>;
  /** Opens one chart; the read is audited. */
  get(session: Session, id: string): Promise<Patient>;
  /** The stored patient with this id, if any, for an import to compare with (audited as the import, not as charts opened). */
  find(session: Session, id: string): Promise<Patient | undefined>;
  /** A patient an import checked (fhir-import.ts), written as given and audited as created or updated. */
  put(session: Session, patient: Patient, kind: 'create' | 'update'): Promise<void>;
}

function parseInput(input: unknown) {
  const parsed = patientInputSchema.safeParse(input);
  if (!parsed.success) throw new StoreError('invalid', 'Some patient details need correcting.', fieldErrors(parsed.error));
  return parsed.data;
}

export function createPatientRepository(db: ClinicDatabase, local: LocalState, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): PatientRepository {
  const now = options.now ?? (() => Date.now());
  const held: HeldPatients = { loaded: undefined, recentlyOpened: new RecentPatients() };
  const index = () => held.loaded?.index;

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
    held.loaded?.writtenHere.set(record.id, record.sealed);
    await db.records.upsert(record);
    index()?.replace(toPatientSearchEntry(patient));
    held.loaded?.unreadable.delete(record.id);
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
      held.recentlyOpened.opened(session.userId, id);
      return patient;
    },

    async find(session: Session, id: string): Promise<Patient | undefined> {
      requirePermission(session, 'patient.read');
      const doc = await db.records.findOne({ selector: { id, type: 'patient' } }).exec();
      return doc ? openPatient(session, doc.toMutableJSON()) : undefined;
    },

    async put(session: Session, patient: Patient, kind: 'create' | 'update'): Promise<void> {
      requirePermission(session, 'patient.write');
      await write(session, patient);
      await audit.record(session, { kind: kind === 'create' ? 'patient.create' : 'patient.update', patientId: patient.id });
    },

    ...createPatientSearch(db, local, audit, held, now),
  };
}
