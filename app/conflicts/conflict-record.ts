import { z } from 'zod';
import { toHex, utf8 } from '../crypto/bytes';
import { opaqueIdSchema } from '../records/sealed-record';
import type { FieldConflict } from './three-way-merge';

/**
 * A conflict record: one field two workstations changed apart, the value the
 * merge kept and the value it replaced. It is an ordinary sealed record
 * (type `conflict`, subject = the patient), so it replicates to every
 * workstation, and a clinician's choice there replicates back.
 */

/** The pseudo-field a record's deletion flag is merged as. */
export const deletionField = '@deleted';

const fieldValueSchema = z.strictObject({ value: z.unknown(), hlc: z.string().min(1).max(64) });

export const conflictPayloadSchema = z.strictObject({
  recordId: opaqueIdSchema,
  recordType: z.enum(['patient', 'observation']),
  field: z.string().min(1).max(100),
  kept: fieldValueSchema,
  other: fieldValueSchema,
  detectedAt: z.iso.datetime(),
  /** null while open; the choice once a clinician has made it. */
  resolution: z
    .strictObject({
      choice: z.enum(['kept', 'other']),
      byUserId: opaqueIdSchema,
      at: z.iso.datetime(),
    })
    .nullable(),
});
export type ConflictPayload = z.infer<typeof conflictPayloadSchema>;

/**
 * Derived from what the conflict is, so that detecting it twice (a retried
 * push after a power cut, or both sides of one sync) names one record, not two.
 */
export async function conflictRecordId(recordId: string, conflict: Pick<FieldConflict, 'field' | 'kept' | 'other'>): Promise<string> {
  const hlcs = [conflict.kept.hlc, conflict.other.hlc].sort();
  const digest = await crypto.subtle.digest('SHA-256', utf8(['conflict', recordId, conflict.field, ...hlcs].join('\u0000')));
  return `conflict-${toHex(new Uint8Array(digest)).slice(0, 32)}`;
}
