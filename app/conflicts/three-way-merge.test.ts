import { describe, expect, it } from 'vitest';
import { mergePayloads } from './three-way-merge';

const early = '001700000000000-00000-ws-a';
const late = '001700000005000-00000-ws-b';
const base = { givenNames: 'Amina', familyName: 'Diallo', phone: '+255700000001', village: 'Kibaha' };

describe('three-way merge of two edits', () => {
  it('takes a change made on one side only, from either side', () => {
    const { merged, conflicts } = mergePayloads(base, { payload: { ...base, phone: '+255700000002' }, hlc: early }, { payload: { ...base, village: 'Mlandizi' }, hlc: late });
    expect(merged).toEqual({ ...base, phone: '+255700000002', village: 'Mlandizi' });
    expect(conflicts).toEqual([]);
  });

  it('keeps the later value of a field changed on both sides, and returns the other as a conflict', () => {
    const { merged, conflicts } = mergePayloads(base, { payload: { ...base, familyName: 'Diallo-Sow' }, hlc: late }, { payload: { ...base, familyName: 'Dialo' }, hlc: early });
    expect(merged.familyName).toBe('Diallo-Sow');
    expect(conflicts).toEqual([{ field: 'familyName', kept: { value: 'Diallo-Sow', hlc: late }, other: { value: 'Dialo', hlc: early } }]);
  });

  it('treats the same change on both sides as no conflict', () => {
    const edit = { ...base, phone: '+255700000009' };
    expect(mergePayloads(base, { payload: edit, hlc: early }, { payload: { ...edit }, hlc: late })).toEqual({ merged: edit, conflicts: [] });
  });

  it('compares nested values whole, whatever their key order', () => {
    const a = { ...base, address: { line: 'Plot 4', town: 'Kibaha' } };
    const b = { ...base, address: { town: 'Kibaha', line: 'Plot 4' } };
    expect(mergePayloads(base, { payload: a, hlc: early }, { payload: b, hlc: late }).conflicts).toEqual([]);
  });

  it('reports a field removed on one side and changed on the other, instead of losing either', () => {
    const withoutPhone = { givenNames: base.givenNames, familyName: base.familyName, village: base.village };
    const { merged, conflicts } = mergePayloads(base, { payload: withoutPhone, hlc: early }, { payload: { ...base, phone: '+255700000003' }, hlc: late });
    expect(merged.phone).toBe('+255700000003');
    expect(conflicts).toEqual([{ field: 'phone', kept: { value: '+255700000003', hlc: late }, other: { value: undefined, hlc: early } }]);
  });

  it('without an ancestor, reports every difference, keeping the later edit', () => {
    const { merged, conflicts } = mergePayloads(undefined, { payload: { ...base, village: 'A' }, hlc: late }, { payload: { ...base, village: 'B', phone: '+1' }, hlc: early });
    expect(merged).toMatchObject({ village: 'A', phone: base.phone });
    expect(conflicts.map((c) => c.field)).toEqual(['phone', 'village']);
  });

  it('never reports bookkeeping fields, taking the later value', () => {
    const { merged, conflicts } = mergePayloads(base, { payload: { ...base, updatedAt: '2026-01-02T00:00:00Z' }, hlc: late }, { payload: { ...base, updatedAt: '2026-01-01T00:00:00Z' }, hlc: early }, { bookkeeping: ['updatedAt'] });
    expect(merged.updatedAt).toBe('2026-01-02T00:00:00Z');
    expect(conflicts).toEqual([]);
  });
});
