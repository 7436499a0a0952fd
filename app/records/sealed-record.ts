import { z } from 'zod';
import { fromBase64, fromUtf8, randomBytes, toBase64, utf8 } from '../crypto/bytes';

/**
 * The one shape every stored and replicated document has. Only opaque ids,
 * timestamps and the kind of record stay in clear (the store indexes them and
 * replication needs them); everything else is in `sealed`, AES-256-GCM under
 * the clinic data key. Every clear field is bound into the GCM additional
 * data, so a record cannot be moved to another id, patient or clinic, undeleted
 * or back-dated without opening failing.
 */
export const recordTypes = ['patient', 'audit'] as const;
export type RecordType = (typeof recordTypes)[number];

const opaqueId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

export const sealedRecordSchema = z
  .object({
    id: opaqueId,
    type: z.enum(recordTypes),
    clinicId: opaqueId,
    /** The patient a record is about ('' when none): indexed so a chart loads without decrypting others. */
    subject: z.union([opaqueId, z.literal('')]),
    updatedAt: z.number().int().nonnegative(),
    hlc: z.string().min(1).max(64),
    deleted: z.boolean(),
    sealed: z.string().regex(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/),
  })
  .strict();
export type SealedRecord = z.infer<typeof sealedRecordSchema>;
export type RecordHeader = Omit<SealedRecord, 'sealed'>;

export class SealError extends Error {
  constructor(
    readonly code: 'tampered' | 'malformed',
    readonly recordId: string,
  ) {
    super(
      code === 'tampered'
        ? `Record ${recordId} cannot be opened: it was altered or damaged, or sealed with another clinic's key. The other records are not affected.`
        : `Record ${recordId} is not in the expected format. The other records are not affected.`,
    );
    this.name = 'SealError';
  }
}

const additionalData = (h: RecordHeader): Uint8Array<ArrayBuffer> =>
  utf8(['v1', h.id, h.type, h.clinicId, h.subject, String(h.updatedAt), h.hlc, h.deleted ? '1' : '0'].join('|'));

export async function sealRecord(dataKey: CryptoKey, header: RecordHeader, payload: unknown): Promise<SealedRecord> {
  const iv = randomBytes(12);
  const plaintext = utf8(JSON.stringify(payload));
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(header) }, dataKey, plaintext);
  return { ...header, sealed: `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}` };
}

/** The decrypted payload; the caller validates it against its record type's schema. */
export async function openRecord(dataKey: CryptoKey, record: SealedRecord): Promise<unknown> {
  const [version, ivText, bodyText] = record.sealed.split('.');
  let iv: Uint8Array<ArrayBuffer>;
  let body: Uint8Array<ArrayBuffer>;
  try {
    if (version !== 'v1' || ivText === undefined || bodyText === undefined) throw new Error('format');
    iv = fromBase64(ivText);
    body = fromBase64(bodyText);
    if (iv.length !== 12) throw new Error('iv');
  } catch {
    throw new SealError('malformed', record.id);
  }
  const { sealed: _sealed, ...header } = record;
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(header) }, dataKey, body);
  } catch {
    throw new SealError('tampered', record.id);
  }
  try {
    return JSON.parse(fromUtf8(new Uint8Array(plaintext))) as unknown;
  } catch {
    throw new SealError('malformed', record.id);
  }
}
