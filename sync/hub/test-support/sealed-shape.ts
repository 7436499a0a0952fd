import { randomBytes } from 'node:crypto';

/**
 * A document in the shape the hub stores for a clinic's records database
 * (document-rules.ts): the clear header and a `sealed` text in the sealing
 * format, here random bytes (the hub cannot open sealed text, so its tests
 * need no key). `fields` overrides any of it.
 */
export function sealedShape(clinicId: string, fields: { _id: string } & Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'patient',
    clinicId,
    subject: '',
    updatedAt: 1_700_000_000_000,
    hlc: '001700000000000-00000-ws-test',
    deleted: false,
    sealed: `v1.${randomBytes(12).toString('base64')}.${randomBytes(48).toString('base64')}`,
    ...fields,
  };
}
