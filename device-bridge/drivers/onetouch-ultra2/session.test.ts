import { describe, expect, it } from 'vitest';
import { decodeUltra2 } from './decoder';
import { createUltra2Session, DUMP_COMMAND } from './session';
import { ultra2Dump, ultra2Header, ultra2RecordLine } from './simulator';

const records = [
  { time: '2024-03-21T16:45:24', value: 81 },
  { time: '2024-03-21T16:42:11', value: 105, control: true },
] as const;

describe('OneTouch Ultra 2 session', () => {
  it('sends DC1 CR then DMP CR', () => {
    expect(Array.from(createUltra2Session().start()[0] ?? [])).toEqual([0x11, 0x0d, 0x44, 0x4d, 0x50, 0x0d]);
    expect(DUMP_COMMAND).toHaveLength(6);
  });

  it('is done once the announced number of result lines has arrived, refused ones included', () => {
    const session = createUltra2Session();
    const header = ultra2Header({ count: 2, serial: 'ZZA1234BY', unit: 'mg/dL' });
    expect(session.onItems(decodeUltra2(header).items)).toEqual({ send: [], done: false });
    expect(session.onItems(decodeUltra2(ultra2RecordLine(records[0])).items).done).toBe(false);
    expect(session.onItems(decodeUltra2(ultra2RecordLine(records[1])).items).done).toBe(true);
  });

  it('is done at once for an empty memory', () => {
    const session = createUltra2Session();
    expect(session.onItems(decodeUltra2(ultra2Dump({ serial: 'ZZA1234BY', unit: 'mg/dL', records: [] })).items).done).toBe(true);
  });

  it('stops when the header fails its checksum, since the count is unknown', () => {
    const header = Uint8Array.from(ultra2Header({ count: 2, serial: 'ZZA1234BY', unit: 'mg/dL' }));
    header[3] = 0x39; // "P 092,..." no longer matches its checksum
    expect(createUltra2Session().onItems(decodeUltra2(header).items).done).toBe(true);
  });
});
