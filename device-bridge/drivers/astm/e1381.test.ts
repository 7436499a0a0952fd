import { describe, expect, it } from 'vitest';
import { buildFrame, checksum, parseFrame } from './e1381';
import { localTime, parseTimestamp } from './e1394';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('ASTM E1381 frames', () => {
  it('checksums FN through ETB, the CR before it included, as published meter frames do', () => {
    // Real frames quoted in glucodump's tests (Anders Hammarquist): the
    // checksum they carry is what the meter computed.
    expect(checksum(bytes('1R|67|^^^Glucose|7.9|mmol/L^P||B||201011281949\r\x17'))).toBe('04');
    expect(checksum(bytes('1G\r\x17'))).toBe('9C');
  });

  it('parses a frame it built, and keeps the record text without the final CR', () => {
    const frame = buildFrame(3, 'R|1|^^^Glucose|104|mg/dL^P||B||202403040715', false);
    expect(parseFrame(frame)).toEqual({ kind: 'frame', fn: 3, text: 'R|1|^^^Glucose|104|mg/dL^P||B||202403040715', final: false });
    expect(parseFrame(buildFrame(7, 'L|1||N', true))).toMatchObject({ kind: 'frame', fn: 7, final: true });
  });

  it('tells a checksum mismatch from a malformed frame', () => {
    const frame = buildFrame(1, 'P|1', false);
    const bad = frame.slice();
    bad[frame.length - 4] = bad[frame.length - 4] === 0x30 ? 0x31 : 0x30;
    expect(parseFrame(bad).kind).toBe('checksum');
    expect(parseFrame(frame.subarray(0, frame.length - 1)).kind).toBe('malformed');
    const lower = frame.slice();
    lower[frame.length - 4] = 0x61; // 'a': the standard asks for uppercase hex
    expect(parseFrame(lower).kind).toBe('malformed');
    expect(parseFrame(bytes('\x029P|1\r\x1700\r\n')).kind).toBe('malformed');
    expect(parseFrame(bytes('\x021P\x05|1\r\x1700\r\n')).kind).toBe('malformed');
  });
});

describe('ASTM E1394 timestamps', () => {
  it('reads 12 and 14 digit stamps as local time without offset', () => {
    expect(parseTimestamp('202403040715')).toBe('2024-03-04T07:15:00');
    expect(parseTimestamp('20240304071559')).toBe('2024-03-04T07:15:59');
  });

  it('refuses dates that do not exist', () => {
    expect(parseTimestamp('202302290715')).toBeUndefined();
    expect(parseTimestamp('202413010715')).toBeUndefined();
    expect(parseTimestamp('202401012460')).toBeUndefined();
    expect(parseTimestamp('2024010107')).toBeUndefined();
    expect(localTime(2024, 2, 29, 0, 0)).toBe('2024-02-29T00:00:00');
  });
});
