import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { ENQ, EOT, buildFrame } from '../astm/e1381';
import type { DecodedItem } from '../decoder';
import { errorCodes, readings } from '../test-support';
import { decode } from './decoder';
import { linkOf } from './link';
import { toInputReports } from './reports';
import { exampleMeter, meterMessages, transferReports } from './simulator';
import { toHex, concat } from '../../../app/crypto/bytes';

const frameReports = (text: string, fn = 1, final = false): Uint8Array[] => toInputReports(buildFrame(fn, text, final));
const content = (items: DecodedItem[]) => items.filter((i) => linkOf(i) === undefined);

describe('Contour Next USB decoder', () => {
  it('decodes a whole transfer: header, readings in their unit and local time, control result held back', () => {
    const step = decode(concat(transferReports(exampleMeter)));
    expect(step.consumed).toBe(transferReports(exampleMeter).length * 64);
    expect(content(step.items).map((i) => (i.type === 'status' ? i.status.detail : i.type))).toEqual([
      { model: 'Bayer7410', modelName: 'Contour Next USB', versions: '01.24\\01.04\\09.02.20', serial: '7410-0000042', unit: 'mg/dL', records: 3, meterTime: '2024-03-05T09:30:00' },
      'reading',
      'reading',
      { excluded: 'control-solution', value: 98, unit: 'mg/dL', time: '2024-03-04T18:40:00', record: '3' },
    ]);
    expect(readings(step.items)).toEqual([
      expect.objectContaining({ kind: 'glucoseMass', code: '41653-7', value: 104, unit: 'mg/dL', time: '2024-03-04T07:15:00' }),
      expect.objectContaining({ kind: 'glucoseMass', value: 162, time: '2024-03-04T13:02:00' }),
    ]);
    expect(step.items.map(linkOf).filter(Boolean)).toEqual(['enq', 'frame', 'frame', 'frame', 'frame', 'frame', 'frame', 'eot']);
  });

  it('keeps the raw frame of each reading for audit', () => {
    const frame = buildFrame(2, 'R|1|^^^Glucose|7.9|mmol/L^P||B||201011281949', false);
    const [reading] = readings(decode(concat(toInputReports(frame))).items);
    expect(reading).toEqual({ kind: 'glucoseMoles', code: '14743-9', value: 7.9, unit: 'mmol/L', time: '2010-11-28T19:49:00', raw: toHex(frame) });
  });

  it('waits for every report of a frame that spans several, consuming none of them before', () => {
    const reports = meterMessages(exampleMeter).slice(0, 2).flatMap(toInputReports); // ENQ, then the long header frame
    expect(reports.length).toBeGreaterThan(3);
    const partial = decode(concat(reports.slice(0, -1)));
    expect(partial.consumed).toBe(64); // the ENQ report only
    expect(partial.items.map(linkOf)).toEqual(['enq']);
    const whole = decode(concat(reports));
    expect(whole.consumed).toBe(reports.length * 64);
    expect(whole.items.some((i) => i.type === 'status' && i.status.status === 'header')).toBe(true);
  });

  it('ignores bytes past the last whole report', () => {
    const reports = frameReports('P|1');
    const step = decode(concat([...reports, new Uint8Array(30)]));
    expect(step.consumed).toBe(64);
  });

  it('gives a checksum error and a NAK cue, never a reading, for a frame with a wrong checksum', () => {
    const frame = buildFrame(1, 'R|1|^^^Glucose|104|mg/dL^P||||202403040715', false);
    frame[frame.length - 3] = frame[frame.length - 3] === 0x41 ? 0x42 : 0x41;
    const step = decode(concat(toInputReports(frame)));
    expect(readings(step.items)).toEqual([]);
    expect(step.items.map((i) => (i.type === 'error' ? i.error.code : linkOf(i)))).toEqual(['checksum', 'rejected']);
  });

  it('answers only the ENQ of an "EOT header ENQ" message, as the meter resends the header after the ACK', () => {
    const frame = buildFrame(1, 'H|\\^&||pw|Bayer7410^x^7410-1^y|U=0|0||||||1|202403050930', false);
    const message = Uint8Array.from([EOT, ...frame, ENQ]);
    expect(decode(concat(toInputReports(message))).items.map(linkOf)).toEqual(['enq']);
  });

  it('accepts a frame after EOT in the same message', () => {
    const message = Uint8Array.from([EOT, ...buildFrame(1, 'P|1', false)]);
    expect(decode(concat(toInputReports(message))).items.map(linkOf)).toEqual(['frame']);
  });

  it('ends a message that fills whole reports at its frame trailer, and ignores an empty report after it', () => {
    // Pad the record until the frame is exactly two reports long.
    let text = 'C|1|';
    while (buildFrame(1, text, false).length < 120) text += 'x';
    const reports = frameReports(text);
    expect(reports.map((r) => r[3])).toEqual([60, 60]);
    const step = decode(concat([...reports, ...toInputReports(new Uint8Array(0))]));
    expect(step.consumed).toBe(3 * 64);
    expect(step.items.map((i) => (i.type === 'error' ? i.error.code : linkOf(i)))).toEqual(['unsupported', 'frame']);
  });

  it('reads a result beyond the meter’s range as a reading at its limit with a comparator, never dropped; a ZC tag is not control solution', () => {
    const items = decode(
      concat([
        ...frameReports('R|1|^^^Glucose|600|mg/dL^P||>||202403040715', 1),
        ...frameReports('R|2|^^^Glucose|20|mg/dL^P||<||202403040716', 2),
        ...frameReports('R|3|^^^Glucose|130|mg/dL^P||A/ZC||202403040717', 3),
      ]),
    ).items;
    expect(readings(items).map(({ value, comparator }) => ({ value, comparator }))).toEqual([
      { value: 600, comparator: '>' },
      { value: 20, comparator: '<' },
      { value: 130, comparator: undefined },
    ]);
  });

  it('refuses an unflagged value outside the meter’s 20-600 mg/dL range as out_of_range', () => {
    const items = decode(
      concat([...frameReports('R|1|^^^Glucose|700|mg/dL^P||||202403040715', 1), ...frameReports('R|2|^^^Glucose|12|mg/dL^P||||202403040716', 2)]),
    ).items;
    expect(readings(items)).toEqual([]);
    expect(errorCodes(items)).toEqual(['out_of_range', 'out_of_range']);
    expect(items.flatMap((i) => (i.type === 'error' ? [i.error.reason] : []))[0]).toMatch(/outside the meter's range \(20-600 mg\/dL\)/);
  });

  it('refuses values no patient can have, and records it cannot read, with the frame still acknowledged', () => {
    const items = decode(
      concat([
        ...frameReports('R|1|^^^Glucose|2000|mg/dL^P||||202403040715', 1),
        ...frameReports('R|2|^^^Glucose|104|g/L^P||||202403040715', 2),
        ...frameReports('R|3|^^^Glucose|104|mg/dL^P||||202402300715', 3),
        ...frameReports('R|4|^^^Carb|30|g^P||||202403040715', 4),
      ]),
    ).items;
    expect(items.map((i) => (i.type === 'error' ? i.error.code : linkOf(i)))).toEqual([
      'out_of_range',
      'frame',
      'unsupported',
      'frame',
      'unsupported',
      'frame',
      'unsupported',
      'frame',
    ]);
  });

  it('reads the unit setting of a mmol/L meter header', () => {
    const items = decode(concat(frameReports('H|\\^&||pw|Bayer7390^01.20^7390-1^7396-|A=1^U=1^V=10600|209||||||1|201102142249'))).items;
    expect(items[0]).toMatchObject({ type: 'status', status: { status: 'header', detail: { modelName: 'Contour USB', unit: 'mmol/L', records: 209 } } });
  });

  it('reports a report that is not from the meter as garbled, and a lone ACK as unsupported', () => {
    const noise = new Uint8Array(64).fill(0x55);
    const items = decode(concat([noise, ...toInputReports(Uint8Array.of(0x06))])).items;
    expect(items.map((i) => (i.type === 'error' ? i.error.code : i.type))).toEqual(['garbled', 'unsupported']);
  });

  it('refuses a message longer than any frame with an error that fits the item contract, and a NAK cue', () => {
    // A frame that never ends (only full reports, no trailer), until a short report closes the message.
    const endless = Uint8Array.from({ length: 20_000 }, (_, i) => (i === 0 ? 0x02 : 0x41));
    const items = decode(concat(toInputReports(endless))).items;
    items.forEach((item) => decodedItemSchema.parse(item));
    expect(items.map((i) => (i.type === 'error' ? i.error.code : linkOf(i)))).toEqual(['garbled', 'rejected']);
  });
});
