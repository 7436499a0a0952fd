import { requirePermission } from '../../app/auth/roles';
import { observationSchema, validationProblems, type RecordedObservation } from '../../app/observations/observation';
import { openRecord, sealRecord } from '../../app/records/sealed-record';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * Vital signs and device readings a nurse confirmed. Readings are append-only
 * records (one per value), so they never conflict when workstations sync; a
 * chart loads them by their clear `subject` without decrypting anyone else's.
 */
export function createObservationRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }) {
  const now = options.now ?? (() => Date.now());

  return {
    /** Stores all of them or none: every value is checked before the first is written. */
    async record(session: Session, drafts: readonly unknown[]): Promise<RecordedObservation[]> {
      requirePermission(session, 'observation.write');
      const observations: RecordedObservation[] = [];
      for (const draft of drafts) {
        const parsed = observationSchema.safeParse(draft);
        if (!parsed.success) {
          const [problem] = validationProblems(parsed.error);
          throw new StoreError('invalid', 'A reading cannot be stored as it is.', problem ? { [problem.path || 'value']: problem.key } : {});
        }
        observations.push(parsed.data);
      }
      const records = await Promise.all(
        observations.map((o) =>
          sealRecord(session.dataKey, { id: o.id, type: 'observation', clinicId: session.clinicId, subject: o.patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, o),
        ),
      );
      const result = await db.records.bulkInsert(records);
      if (result.error.length) throw new StoreError('invalid', 'Some readings were already stored.');
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
export type ObservationRepository = ReturnType<typeof createObservationRepository>;
