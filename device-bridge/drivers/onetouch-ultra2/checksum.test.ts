import { describe, expect, it } from 'vitest';
import { formatChecksum, ultra2Checksum } from './checksum';
import { ultra2Header, ultra2RecordLine } from './simulator';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const textOf = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** Lines published in tidepool-org/uploader lib/drivers/onetouch/oneTouchUltra2.js and glucometerutils tests. */
const published = [
  'P 003,"GMF600DCY","MG/DL " 05A6',
  'P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00 09B6',
  'P "SAT","03/21/15","16:42:11   ","  105 ","B","02", 00 099F',
  'P "SAT","03/21/15","16:39:46   ","  176 ","N","02", 00 09C1',
  '@ "12345678O" 0297',
];

describe('OneTouch Ultra 2 checksum', () => {
  it.each(published)('matches the published line %s', (line) => {
    const body = line.slice(0, line.lastIndexOf(' '));
    expect(formatChecksum(ultra2Checksum(bytesOf(body)))).toBe(line.slice(-4));
  });

  it('wraps at 16 bits', () => {
    expect(ultra2Checksum(new Uint8Array(300).fill(0xff))).toBe((300 * 0xff) & 0xffff);
  });

  it('lets the simulator reproduce the published lines byte for byte', () => {
    expect(textOf(ultra2Header({ count: 3, serial: 'GMF600DCY', unit: 'mg/dL' }))).toBe(`${published[0]}\r\n`);
    expect(textOf(ultra2RecordLine({ time: '2015-03-21T16:45:24', value: 81, meal: 'N', comment: 3 }))).toBe(`${published[1]}\r\n`);
    expect(textOf(ultra2RecordLine({ time: '2015-03-21T16:42:11', value: 105, meal: 'B', comment: 2 }))).toBe(`${published[2]}\r\n`);
  });
});
