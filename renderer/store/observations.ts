import { requirePermission } from '../../app/auth/roles';
import { observationSchema, validationProblems, type RecordedObservation } from '../../app/observations/observation';
import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { giveWay } from '../../app/scheduling/give-way';
import { visitsOf, type Visit } from '../../app/visits/visit';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * Vital signs and device readings a nurse confirmed. Readings are append-only
 * records (one per value), so they never conflict when workstations sync; a
 * chart loads them by their clear `subject` without decrypting anyone else's.
 */
/** Readings: recorded in batches, read per patient. */
export interface ObservationRepository {
  record(session: Session, drafts: readonly unknown[]): Promise<RecordedObservation[]>;
  forPatient(session: Session, patientId: string): Promise<{ observations: RecordedObservation[]; unreadable: number }>;
  /** Which of these record ids (readings or visits) are stored here already. */
  stored(session: Session, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Readings and visits an import checked (fhir-import.ts), stored with their
   * own ids; any already here stay as they are. Audited per patient, as a
   * confirmation is. Returns how many were new.
   */
  putImported(session: Session, readings: readonly RecordedObservation[], visits: readonly Visit[]): Promise<number>;
}

/** Drafts checked or sealed between two chances for other work (a search) to run. */
const yieldEvery = 250;

export function createObservationRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): ObservationRepository {
  const now = options.now ?? (() => Date.now());
  const seal = (session: Session, type: 'observation' | 'visit', payload: RecordedObservation | Visit): Promise<SealedRecord> =>
    sealRecord(session.dataKey, { id: payload.id, type, clinicId: session.clinicId, subject: payload.patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, payload);

  /** Inserted in batches with a chance for a search between them; a record already stored is left as it is and counted. */
  async function insert(records: readonly SealedRecord[]): Promise<number> {
    let alreadyStored = 0;
    for (let i = 0; i < records.length; i += yieldEvery) {
      if (i > 0) await giveWay();
      alreadyStored += (await db.records.bulkInsert(records.slice(i, i + yieldEvery))).error.length;
    }
    return alreadyStored;
  }

  async function auditPerPatient(session: Session, readings: readonly RecordedObservation[]): Promise<void> {
    for (const patientId of new Set(readings.map((o) => o.patientId))) {
      await audit.record(session, { kind: 'observation.create', patientId, detail: { count: readings.filter((o) => o.patientId === patientId).length } });
    }
  }

  return {
    /** Stores all of them or none: every value is checked before the first is written. */
    async record(session: Session, drafts: readonly unknown[]): Promise<RecordedObservation[]> {
      requirePermission(session, 'observation.write');
      const observations: RecordedObservation[] = [];
      for (const [i, draft] of drafts.entries()) {
        // A long batch (a meter's whole memory) gives way now and then, so a search asked meanwhile is answered.
        if (i > 0 && i % yieldEvery === 0) await giveWay();
        const parsed = observationSchema.safeParse(draft);
        if (!parsed.success) {
          const [problem] = validationProblems(parsed.error);
          throw new StoreError('invalid', 'A reading cannot be stored as it is.', problem ? { [problem.path || 'value']: problem.key } : {});
        }
        observations.push(parsed.data);
      }
      const records: SealedRecord[] = [];
      for (let i = 0; i < observations.length; i += yieldEvery) {
        if (i > 0) await giveWay();
        records.push(
          ...(await Promise.all(
            observations.slice(i, i + yieldEvery).map((o) => seal(session, 'observation', o)),
          )),
        );
      }
      // Each patient's readings make a visit (an Encounter when exported), stored after them.
      for (const visit of await visitsOf(observations, session.userId)) {
        records.push(await seal(session, 'visit', visit));
      }
      // Every value was checked above, so none is refused for its content; one already stored (a reading
      // confirmed twice, and then its visit) stays as it was and is reported, the others are stored whatever batch they are in.
      if (await insert(records)) throw new StoreError('invalid', 'Some readings were already stored.');
      await auditPerPatient(session, observations);
      return observations;
    },

    async stored(session: Session, ids: readonly string[]): Promise<Set<string>> {
      requirePermission(session, 'patient.read');
      return new Set((await db.records.findByIds([...ids]).exec()).keys());
    },

    async putImported(session: Session, readings: readonly RecordedObservation[], visits: readonly Visit[]): Promise<number> {
      requirePermission(session, 'observation.write');
      const records: SealedRecord[] = [];
      for (let i = 0; i < readings.length; i += yieldEvery) {
        if (i > 0) await giveWay();
        records.push(...(await Promise.all(readings.slice(i, i + yieldEvery).map((o) => seal(session, 'observation', o)))));
      }
      // After their readings, as a confirmation stores them: a visit never lists a reading not yet here.
      for (const visit of visits) records.push(await seal(session, 'visit', visit));
      const alreadyStored = await insert(records);
      await auditPerPatient(session, readings);
      return records.length - alreadyStored;
    },

    /** One patient's observations, oldest first (by when they were measured, then by id). Records that fail to open are counted, never dropped. */
    async forPatient(session: Session, patientId: string): Promise<{ observations: RecordedObservation[]; unreadable: number }> {
      requirePermission(session, 'patient.read');
      const docs = await db.records.find({ selector: { type: 'observation', subject: patientId } }).exec();
      let unreadable = 0;
      const observations: RecordedObservation[] = [];
      await Promise.all(
        docs.map(async (doc) => {
          try {
            const parsed = observationSchema.safeParse(await openRecord(session.dataKey, doc.toMutableJSON()));
            if (parsed.success && parsed.data.patientId === patientId) observations.push(parsed.data);
            else unreadable++;
          } catch {
            unreadable++;
          }
        }),
      );
      // Records open in whatever order their decryption finishes: readings taken at the same moment (a device's batch) are ordered by id, so every screen and test sees one order.
      observations.sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt) || a.id.localeCompare(b.id));
      return { observations, unreadable };
    },
  };
}
