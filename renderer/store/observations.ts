import { requirePermission } from '../../app/auth/roles';
import { observationSchema, validationProblems, type RecordedObservation } from '../../app/observations/observation';
import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { giveWay } from '../../app/scheduling/give-way';
import { visitsOf } from '../../app/visits/visit';
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
}

/** Drafts checked or sealed between two chances for other work (a search) to run. */
const yieldEvery = 250;

export function createObservationRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): ObservationRepository {
  const now = options.now ?? (() => Date.now());

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
            observations
              .slice(i, i + yieldEvery)
              .map((o) => sealRecord(session.dataKey, { id: o.id, type: 'observation', clinicId: session.clinicId, subject: o.patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, o)),
          )),
        );
      }
      // Each patient's readings make a visit (an Encounter when exported), stored after them.
      for (const visit of await visitsOf(observations, session.userId)) {
        records.push(await sealRecord(session.dataKey, { id: visit.id, type: 'visit', clinicId: session.clinicId, subject: visit.patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, visit));
      }
      // Every value was checked above, so none is refused for its content; one already stored (a reading
      // confirmed twice, and then its visit) stays as it was and is reported, the others are stored whatever batch they are in.
      let alreadyStored = 0;
      for (let i = 0; i < records.length; i += yieldEvery) {
        if (i > 0) await giveWay();
        alreadyStored += (await db.records.bulkInsert(records.slice(i, i + yieldEvery))).error.length;
      }
      if (alreadyStored) throw new StoreError('invalid', 'Some readings were already stored.');
      for (const patientId of new Set(observations.map((o) => o.patientId))) {
        await audit.record(session, { kind: 'observation.create', patientId, detail: { count: observations.filter((o) => o.patientId === patientId).length } });
      }
      return observations;
    },

    /** One patient's observations, oldest first. Records that fail to open are counted, never dropped. */
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
      observations.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt));
      return { observations, unreadable };
    },
  };
}
