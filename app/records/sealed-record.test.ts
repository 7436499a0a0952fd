import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/keys';
import { SealError } from '../crypto/seal';
import { openRecord, sealRecord, type RecordHeader, type SealedRecord } from './sealed-record';

const header: RecordHeader = { id: 'pat-1', type: 'patient', clinicId: 'clinic-a', subject: 'pat-1', updatedAt: 1_700_000_000_000, hlc: '001700000000000-00000-ws1', deleted: false };
const payload = { givenNames: 'Amina', familyName: 'Diallo', phone: '+255712345678' };

/** Flips one bit of the ciphertext body (after the version and IV). */
function flipOneByte(record: SealedRecord, index: number): SealedRecord {
  const [version, iv, body] = record.sealed.split('.') as [string, string, string];
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  bytes[index % bytes.length]! ^= 0x01;
  return { ...record, sealed: `${version}.${iv}.${btoa(String.fromCharCode(...bytes))}` };
}

describe('sealed records', () => {
  it('round-trips the payload and keeps it out of the clear fields', async () => {
    const key = await generateDataKey();
    const sealed = await sealRecord(key, header, payload);
    expect(JSON.stringify(sealed)).not.toContain('Amina');
    expect(JSON.stringify(sealed)).not.toContain('712345678');
    expect(await openRecord(key, sealed)).toEqual(payload);
  });

  it('uses a fresh IV each time, so equal payloads do not look equal', async () => {
    const key = await generateDataKey();
    const a = await sealRecord(key, header, payload);
    const b = await sealRecord(key, header, payload);
    expect(a.sealed).not.toBe(b.sealed);
  });

  it('refuses a record with any single byte of its ciphertext changed', async () => {
    const key = await generateDataKey();
    const sealed = await sealRecord(key, header, payload);
    for (const index of [0, 7, 20, 40, 63]) {
      await expect(openRecord(key, flipOneByte(sealed, index))).rejects.toMatchObject({ name: 'SealError', code: 'tampered' });
    }
  });

  it.each([
    ['another id', { id: 'pat-2' }],
    ['another patient', { subject: 'pat-9' }],
    ['another clinic', { clinicId: 'clinic-b' }],
    ['another type', { type: 'audit' as const }],
    ['a changed deletion flag', { deleted: true }],
    ['a back-dated clock', { hlc: '001600000000000-00000-ws1' }],
  ])('refuses sealed data moved to %s', async (_label, change) => {
    const key = await generateDataKey();
    const sealed = await sealRecord(key, header, payload);
    await expect(openRecord(key, { ...sealed, ...change })).rejects.toBeInstanceOf(SealError);
  });

  it('refuses a record sealed under another key', async () => {
    const sealed = await sealRecord(await generateDataKey(), header, payload);
    await expect(openRecord(await generateDataKey(), sealed)).rejects.toMatchObject({ code: 'tampered' });
  });

  it('reports garbage in place of the sealed text as malformed, without the content in the message', async () => {
    const key = await generateDataKey();
    const error = await openRecord(key, { ...header, sealed: 'v1.###.Amina' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'malformed' });
    expect(String((error as Error).message)).not.toContain('Amina');
  });
});
