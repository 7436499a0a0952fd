import { z } from 'zod';
import { openPayload, sealedTextPattern, sealPayload } from '../crypto/seal';

/**
 * The one shape every stored and replicated clinical document has. Only opaque
 * ids, timestamps and the kind of record stay in clear (the store indexes them
 * and replication needs them); everything else is in `sealed`, AES-256-GCM
 * under the clinic data key. Every clear field is bound into the additional
 * data, so a record cannot be moved to another id, patient or clinic,
 * undeleted or back-dated without opening failing.
 */
/**
 * `conflict`: a value an edit replaced while two workstations edited one record apart (app/conflicts).
 * `clinicSettings`: the clinic's one settings record (app/settings/clinic-settings.ts).
 * `workstation`: one per workstation, its name, written by itself (app/workstations/workstation-record.ts).
 * `visit`: the readings confirmed together for one patient (app/visits/visit.ts).
 * `consent`: one research-use decision of a patient, never changed (app/consents/consent.ts).
 * `facilityOverride`: what the clinic learnt of a directory facility's capability, never changed (app/facilities/facility-override.ts).
 * `referral`, `referralStatus`: a patient referred to another facility, and each status learnt of it; neither ever changed (app/referrals/referral.ts).
 */
export const recordTypes = ['patient', 'observation', 'audit', 'conflict', 'clinicSettings', 'workstation', 'visit', 'consent', 'facilityOverride', 'referral', 'referralStatus'] as const;
export type RecordType = (typeof recordTypes)[number];

/**
 * The most a record's sealed text may hold: 256 KiB, far above the largest
 * record (a reading with its raw device frames, under 40 kB) and small
 * enough that the hub stores any one in a moment (sync/hub/document-rules.ts).
 */
export const maxSealedChars = 256 * 1024;

export const opaqueIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

export const sealedRecordSchema = z
  .object({
    id: opaqueIdSchema,
    type: z.enum(recordTypes),
    clinicId: opaqueIdSchema,
    /** The patient a record is about ('' when none): indexed so a chart loads without decrypting others. */
    subject: z.union([opaqueIdSchema, z.literal('')]),
    updatedAt: z.number().int().nonnegative(),
    hlc: z.string().min(1).max(64),
    deleted: z.boolean(),
    sealed: z.string().max(maxSealedChars).regex(sealedTextPattern),
  })
  .strict();
export type SealedRecord = z.infer<typeof sealedRecordSchema>;
export type RecordHeader = Omit<SealedRecord, 'sealed'>;

const context = (h: RecordHeader) => ['record', h.id, h.type, h.clinicId, h.subject, String(h.updatedAt), h.hlc, h.deleted ? '1' : '0'];

export async function sealRecord(dataKey: CryptoKey, header: RecordHeader, payload: unknown): Promise<SealedRecord> {
  return { ...header, sealed: await sealPayload(dataKey, context(header), payload) };
}

/** The decrypted payload; the caller validates it against its record type's schema. */
export function openRecord(dataKey: CryptoKey, record: SealedRecord): Promise<unknown> {
  const { sealed, ...header } = record;
  return openPayload(dataKey, context(header), sealed, `Record ${record.id}`);
}
