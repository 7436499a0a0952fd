import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../crypto/keys';
import { generateClinicNumber } from '../patients/clinic-number';
import { openRecord, sealRecord, type RecordHeader, type SealedRecord } from '../records/sealed-record';
import { conflictPayloadSchema } from './conflict-record';
import { mergeRecords } from './merge-records';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-00000-${node}`;
const patient = {
  id: 'pat-1',
  clinicNumber: generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n))),
  givenNames: 'Amina',
  familyName: 'Diallo',
  sex: 'female',
  birthDate: '1990-04-12',
  phone: '+255712345678',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const header = (at: number, node: string, deleted = false): RecordHeader => ({ id: 'pat-1', type: 'patient', clinicId: 'clinic-a', subject: 'pat-1', updatedAt: at, hlc: hlc(at, node), deleted });

async function fixture() {
  const dataKey = await generateDataKey();
  const base = await sealRecord(dataKey, header(1000, 'ws-a'), patient);
  const edit = (at: number, node: string, change: object, deleted = false) => sealRecord(dataKey, header(at, node, deleted), { ...patient, ...change, updatedAt: new Date(at).toISOString() });
  const open = async (record: SealedRecord) => openRecord(dataKey, record);
  return { dataKey, base, edit, open };
}

describe('merging two edits of a sealed record', () => {
  it('merges edits of different fields into one new sealed version, later than both, with no conflict', async () => {
    const { dataKey, base, edit, open } = await fixture();
    const local = await edit(2000, 'ws-a', { phone: '+255700000000' });
    const remote = await edit(3000, 'ws-b', { familyName: 'Diallo-Sow' });
    const { record, conflicts } = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    expect(conflicts).toEqual([]);
    expect(record.hlc > remote.hlc && record.hlc > local.hlc).toBe(true);
    expect(await open(record)).toMatchObject({ phone: '+255700000000', familyName: 'Diallo-Sow', updatedAt: new Date(3000).toISOString() });
  });

  it('keeps the later value of a field both changed and seals the other into a conflict record about the patient', async () => {
    const { dataKey, base, edit, open } = await fixture();
    const local = await edit(2000, 'ws-a', { phone: '+255700000001' });
    const remote = await edit(3000, 'ws-b', { phone: '+255700000002' });
    const { record, conflicts } = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    expect(await open(record)).toMatchObject({ phone: '+255700000002' });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ type: 'conflict', subject: 'pat-1', clinicId: 'clinic-a', deleted: false });
    expect(JSON.stringify(conflicts[0])).not.toContain('255700000001');
    const payload = conflictPayloadSchema.parse(await open(conflicts[0]!));
    expect(payload).toMatchObject({ recordId: 'pat-1', field: 'phone', kept: { value: '+255700000002' }, other: { value: '+255700000001', hlc: local.hlc }, resolution: null });
  });

  it('names the conflict the same way when it is detected again (a retried push), so it is listed once', async () => {
    const { dataKey, base, edit } = await fixture();
    const local = await edit(2000, 'ws-a', { phone: '+255700000011' });
    const remote = await edit(3000, 'ws-b', { phone: '+255700000012' });
    const first = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    const again = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(9000, 'ws-a'), now: 9000 });
    expect(again.conflicts.map((c) => c.id)).toEqual(first.conflicts.map((c) => c.id));
  });

  it('returns the hub version untouched when the local edit adds nothing to it', async () => {
    const { dataKey, base, edit } = await fixture();
    const remote = await edit(3000, 'ws-b', { phone: '+255700000012' });
    expect((await mergeRecords({ dataKey, base, local: base, remote, hlc: hlc(4000, 'ws-a'), now: 4000 })).record).toBe(remote);
  });

  it('keeps an edit made on one side when the other side deleted the record, and lists the deletion for review', async () => {
    const { dataKey, base, edit, open } = await fixture();
    const local = await edit(2000, 'ws-a', { phone: '+255700000011' });
    const remote = await edit(3000, 'ws-b', {}, true);
    const { record, conflicts } = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    expect(record.deleted).toBe(false);
    expect(await open(record)).toMatchObject({ phone: '+255700000011' });
    expect(conflictPayloadSchema.parse(await open(conflicts[0]!))).toMatchObject({ field: '@deleted', kept: { value: false }, other: { value: true } });
    expect(conflicts).toHaveLength(1);
  });

  it('without a known ancestor, lists every field that differs', async () => {
    const { dataKey, edit } = await fixture();
    const local = await edit(2000, 'ws-a', { phone: '+255700000011', village: 'Kibaha' });
    const remote = await edit(3000, 'ws-b', { phone: '+255700000012' });
    const { conflicts } = await mergeRecords({ dataKey, base: undefined, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    expect(conflicts).toHaveLength(2);
  });

  it('compares the whole records when the field-wise merge would make an invalid patient', async () => {
    const { dataKey, base, edit, open } = await fixture();
    // One side switches to an estimated age (dropping the date), the other corrects the date: mixing them gives both or neither.
    const local = await sealRecord(dataKey, header(2000, 'ws-a'), { ...patient, birthDate: undefined, estimatedAgeYears: 36 });
    const remote = await edit(3000, 'ws-b', { birthDate: '1990-04-21' });
    const { record, conflicts } = await mergeRecords({ dataKey, base, local, remote, hlc: hlc(4000, 'ws-a'), now: 4000 });
    expect(await open(record)).toMatchObject({ birthDate: '1990-04-21' });
    const fields = await Promise.all(conflicts.map(async (c) => conflictPayloadSchema.parse(await open(c)).field));
    expect(fields.sort()).toEqual(['birthDate', 'estimatedAgeYears']);
  });
});
