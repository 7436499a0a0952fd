import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { createStreamDecoder, type DecodedItem } from '../decoder';
import { clockItem } from './clock';
import { decodeUltra2 } from './decoder';
import { ultra2ClockLine, ultra2Line } from './simulator';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const shape = (items: DecodedItem[]) =>
  items.map((i) => (i.type === 'error' ? `${i.error.code}: ${i.error.reason}` : i.type === 'status' ? `${i.status.status} ${JSON.stringify(i.status.detail)}` : i.type));

describe('OneTouch Ultra 2 clock (DMF)', () => {
  it('reads the DMF line LifeScan’s own software received, checksum and all, as the meter’s local time', () => {
    // From a serial trace of OneTouch.exe talking to an Ultra 2 (see README): 060B is the 16-bit sum of the text before it.
    const items = decodeUltra2(bytes('F "TUE","08/12/14","15:40:16   " 060B\r\n')).items;
    expect(shape(items)).toEqual(['header {"meterTime":"2014-08-12T15:40:16"}']);
    items.forEach((item) => decodedItemSchema.parse(item));
  });

  it('writes the DMF line as the meter does, day of week included', () => {
    expect(String.fromCharCode(...ultra2ClockLine('2014-08-12T15:40:22'))).toBe('F "TUE","08/12/14","15:40:22   " 0608\r\n');
  });

  it('gives a checksum error, and no clock, for a DMF line corrupted on its way', () => {
    expect(shape(decodeUltra2(bytes('F "TUE","08/12/14","15:40:16   " 060C\r\n')).items)).toEqual(['checksum: A line from the meter failed its checksum and was not used.']);
    expect(shape(decodeUltra2(bytes('F "TUE","08/12/14","15:40:16   "\r\n')).items)).toEqual(['garbled: A line from the meter without the four-digit checksum was skipped.']);
  });

  it('refuses a clock that reads a date or time that does not exist, never a made-up meterTime', () => {
    expect(shape(decodeUltra2(ultra2Line('F "MON","02/30/24","09:30:00   "')).items)).toEqual(["unsupported: The meter's clock reads a date or time that does not exist."]);
    expect(shape(decodeUltra2(ultra2Line('F "MON","02/03/24","24:00:00   "')).items)).toEqual(["unsupported: The meter's clock reads a date or time that does not exist."]);
    expect(shape(decodeUltra2(ultra2Line('F "MON","2/3/24","9:30:00"')).items)).toEqual([
      'unsupported: A line from the meter that is neither the dump header, a stored result nor its clock.',
    ]);
    expect(clockItem('P "MON","02/03/24","09:30:00   "', '')).toBeUndefined();
  });

  it('finds the clock line after noise, and reads it however its bytes arrive', () => {
    const line = ultra2ClockLine('2024-03-22T09:30:05');
    expect(shape(decodeUltra2(Uint8Array.from([0x00, 0x46, 0x13, ...line])).items)).toEqual([expect.stringMatching(/^garbled/), 'header {"meterTime":"2024-03-22T09:30:05"}']);
    const whole = decodeUltra2(line).items;
    for (let cut = 1; cut < line.length; cut++) {
      const stream = createStreamDecoder(decodeUltra2);
      expect([...stream.push(line.subarray(0, cut)), ...stream.push(line.subarray(cut)), ...stream.end()]).toEqual(whole);
    }
  });
});
