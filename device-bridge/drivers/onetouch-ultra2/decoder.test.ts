import { describe, expect, it } from 'vitest';
import type { DecodedItem } from '../decoder';
import { decodeUltra2 } from './decoder';
import { ultra2Dump, ultra2Header, ultra2Line, ultra2RecordLine } from './simulator';
import { toHex, concat } from '../../../app/crypto/bytes';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const codes = (items: DecodedItem[]) => items.map((i) => (i.type === 'error' ? i.error.code : i.type === 'status' ? i.status.status : i.type));

describe('OneTouch Ultra 2 decoder', () => {
  it('reads the header as a status and each result as a glucose reading in mg/dL at the meter’s local time', () => {
    const line = ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 81 });
    const bytes = concat([ultra2Header({ count: 1, serial: 'ZZA1234BY', unit: 'mmol/L' }), line]);
    const step = decodeUltra2(bytes);
    expect(step.consumed).toBe(bytes.length);
    expect(step.items).toEqual([
      { type: 'status', status: { status: 'header', detail: { count: 1, serial: 'ZZA1234BY', unit: 'MMOL/L' }, raw: expect.any(String) as string } },
      { type: 'reading', reading: { kind: 'glucoseMass', code: '41653-7', value: 81, unit: 'mg/dL', time: '2024-03-21T16:45:24', raw: toHex(line) } },
    ]);
  });

  it('refuses a line whose checksum does not match', () => {
    const text = String.fromCharCode(...ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 81 })).replace(' 081 ', ' 087 ');
    expect(codes(decodeUltra2(bytesOf(text)).items)).toEqual(['checksum']);
  });

  it('stores no control-solution test or "?"-marked result, and reads HIGH as above the meter’s range, never dropping it', () => {
    const bytes = concat([
      ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 120, control: true }),
      ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 'HIGH' }),
      ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 99, flagged: true }),
    ]);
    const items = decodeUltra2(bytes).items;
    expect(codes(items)).toEqual(['unsupported', 'reading', 'unsupported']);
    expect(items[1]).toMatchObject({ type: 'reading', reading: { kind: 'glucoseMass', value: 600, unit: 'mg/dL', comparator: '>', time: '2024-03-21T16:45:24' } });
  });

  it('refuses an unflagged glucose outside the meter’s 20-600 mg/dL range', () => {
    for (const value of [19, 601, 999]) {
      const items = decodeUltra2(ultra2RecordLine({ time: '2024-03-21T16:45:24', value })).items;
      expect(codes(items)).toEqual(['out_of_range']);
    }
    expect(codes(decodeUltra2(ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 20 })).items)).toEqual(['reading']);
  });

  it('refuses an impossible value or date', () => {
    expect(codes(decodeUltra2(ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 5 })).items)).toEqual(['out_of_range']);
    const feb30 = ultra2Line('P "FRI","02/30/24","10:00:00   ","  100 ","N","00", 00');
    expect(codes(decodeUltra2(feb30).items)).toEqual(['unsupported']);
  });

  it('keeps an unfinished line for the next call, even when only its "P" has arrived', () => {
    const line = ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 81 });
    expect(decodeUltra2(line.subarray(0, 30))).toEqual({ consumed: 0, items: [] });
    expect(decodeUltra2(line.subarray(0, 1))).toEqual({ consumed: 0, items: [] });
  });

  it('skips noise up to the next "P " as one garbled item, including a line cut short', () => {
    const dump = ultra2Dump({ serial: 'ZZA1234BY', unit: 'mg/dL', records: [{ time: '2024-03-21T16:45:24', value: 81 }] });
    const cut = ultra2RecordLine({ time: '2024-03-20T10:00:00', value: 99 }).subarray(0, 20);
    const items = decodeUltra2(concat([bytesOf('\x00\xffjunk'), cut, dump])).items;
    expect(codes(items)).toEqual(['garbled', 'header', 'reading']);
  });

  it('skips a "P " run that never ends in a line', () => {
    const junk = bytesOf(`P ${'x'.repeat(200)}`);
    const step = decodeUltra2(concat([junk, ultra2RecordLine({ time: '2024-03-21T16:45:24', value: 81 })]));
    expect(codes(step.items)).toEqual(['garbled', 'reading']);
  });

  it('reports a line without a checksum as garbled', () => {
    expect(codes(decodeUltra2(bytesOf('P hello\r\n')).items)).toEqual(['garbled']);
  });
});
