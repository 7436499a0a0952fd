import type { ConflictChoice } from '../../app/contract/data-api';
import { requirePermission } from '../../app/auth/roles';
import { conflictPayloadSchema, deletionField, type ConflictPayload } from '../../app/conflicts/conflict-record';
import { patientSchema } from '../../app/patients/patient';
import { openRecord, sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * Conflicts a person reviews: for each field two workstations changed apart,
 * the value the merge kept and the one it replaced. Choosing writes the chosen
 * value into the record (a new edit, so it replicates) and marks the conflict
 * resolved (which replicates too, so every workstation's list empties).
 */

export interface OpenConflict extends Omit<ConflictPayload, 'resolution'> {
  id: string;
  patientId: string;
}

export type { ConflictChoice } from '../../app/contract/data-api';

/** Conflicts a person reviews, and their choice. */
export interface ConflictRepository {
  list(session: Session, patientId?: string): Promise<OpenConflict[]>;
  resolve(session: Session, conflictId: string, choice: ConflictChoice): Promise<void>;
}

export function createConflictRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): ConflictRepository {
  const now = options.now ?? (() => Date.now());

  async function openConflict(session: Session, record: SealedRecord): Promise<ConflictPayload> {
    const payload = conflictPayloadSchema.safeParse(await openRecord(session.dataKey, record));
    if (!payload.success) throw new StoreError('unreadable_record', `Conflict ${record.id} is damaged.`);
    return payload.data;
  }

  async function reseal(session: Session, record: SealedRecord, payload: unknown, deleted: boolean): Promise<void> {
    await db.records.upsert(
      await sealRecord(session.dataKey, { id: record.id, type: record.type, clinicId: record.clinicId, subject: record.subject, updatedAt: now(), hlc: options.clock.tick(), deleted }, payload),
    );
  }

  /** The record with the other value put back, validated as its type. */
  async function applyOther(session: Session, conflict: ConflictPayload): Promise<void> {
    const doc = await db.records.findOne(conflict.recordId).exec();
    if (!doc) throw new StoreError('not_found', 'The record this conflict is about is not on this workstation.');
    const record = doc.toMutableJSON();
    const payload = { ...(await openRecord(session.dataKey, record)) as Record<string, unknown> };
    let deleted = record.deleted;
    if (conflict.field === deletionField) deleted = conflict.other.value === true;
    else if (conflict.other.value === null) delete payload[conflict.field];
    else payload[conflict.field] = conflict.other.value;
    if (conflict.recordType === 'patient') {
      payload.updatedAt = new Date(now()).toISOString();
      if (!patientSchema.safeParse(payload).success) {
        throw new StoreError('invalid', 'That value cannot go back on its own: it does not fit the rest of the record now. Edit the patient instead.');
      }
    }
    await reseal(session, record, payload, deleted);
  }

  return {
    /** Open conflicts, newest first; of one patient when given. */
    async list(session: Session, patientId?: string): Promise<OpenConflict[]> {
      requirePermission(session, 'patient.read');
      const docs = await db.records.find({ selector: { type: 'conflict', deleted: false, ...(patientId ? { subject: patientId } : {}) } }).exec();
      const open: OpenConflict[] = [];
      for (const doc of docs) {
        const { resolution, ...conflict } = await openConflict(session, doc.toMutableJSON());
        if (resolution === null) open.push({ ...conflict, id: doc.id, patientId: doc.subject });
      }
      return open.sort((a, b) => (a.detectedAt < b.detectedAt ? 1 : -1));
    },

    async resolve(session: Session, conflictId: string, choice: ConflictChoice): Promise<void> {
      requirePermission(session, 'conflict.resolve');
      const doc = await db.records.findOne({ selector: { id: conflictId, type: 'conflict' } }).exec();
      if (!doc) throw new StoreError('not_found', 'There is no such conflict.');
      const record = doc.toMutableJSON();
      const conflict = await openConflict(session, record);
      if (conflict.resolution !== null) return; // resolved already, here or on another workstation
      if (choice === 'other') await applyOther(session, conflict);
      const resolved: ConflictPayload = { ...conflict, resolution: { choice, byUserId: session.userId, at: new Date(now()).toISOString() } };
      await reseal(session, record, resolved, false);
      await audit.record(session, { kind: 'conflict.resolve', patientId: record.subject, detail: { choice } });
    },
  };
}
