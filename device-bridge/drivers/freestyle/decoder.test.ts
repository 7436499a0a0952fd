import { describe, expect, it } from 'vitest';
import { decodedItemSchema, maxRawBytes } from '../../../app/devices/decoded-item';
import { createStreamDecoder, type Decode, type DecodedItem } from '../decoder';
import { countCopies, fromHex, readings } from '../test-support';
import { decode } from './decoder';
import { linkOf } from './link';
import { ascii, buildReport, MessageType, textReports } from './reports';
import { exampleMeter, glucoseRecord, resultsMessage, textReply, transferReports, type SimulatedMeter } from './simulator';
import { byteSum, hex8 } from './text';
import { toHex, concat } from '../../../app/crypto/bytes';

const codes = (items: DecodedItem[]) => items.map((i) => (i.type === 'error' ? i.error.code : (linkOf(i) ?? i.type)));
const results = (lines: string[]): Uint8Array[] => {
  const body = lines.map((l) => `${l}\r\n`).join('');
  return textReports(textReply(`${body}${lines.length},${hex8(byteSum(body))}\r\n`));
};

describe('FreeStyle Precision Neo decoder', () => {
  it('decodes a whole download: INIT answer, serial, readings in mg/dL and local time, control result held back, the clock', () => {
    const reports = transferReports(exampleMeter);
    const step = decode(concat(reports));
    expect(step.consumed).toBe(reports.length * 64);
    expect(codes(step.items)).toEqual(['init', 'status', 'serial', 'reading', 'reading', 'status', 'results', 'date', 'time']);
    expect(step.items[1]).toMatchObject({ type: 'status', status: { status: 'header', detail: { serial: 'SIMNEO1-00042' } } });
    expect(readings(step.items)).toEqual([
      { kind: 'glucoseMass', code: '41653-7', value: 118, unit: 'mg/dL', time: '2024-03-04T19:05:00', raw: toHex(ascii('7,3,3,4,24,19,5,0,118,0,1,0,0,0,0,0,0,0,0')) },
      expect.objectContaining({ value: 96, time: '2024-03-04T07:40:00' }),
    ]);
    expect(step.items[5]).toMatchObject({ type: 'status', status: { detail: { excluded: 'control-solution', value: 130, time: '2024-03-03T12:10:00' } } });
  });

  it('waits for the CMD line: a reply spread over reports is decoded only when all are here', () => {
    const reports = results(Array.from({ length: 5 }, (_, i) => glucoseRecord({ value: 100 + i, time: '2024-01-02T03:04' }, i)));
    expect(reports.length).toBeGreaterThan(2);
    expect(decode(concat(reports.slice(0, -1)))).toMatchObject({ consumed: 0, items: [] });
    expect(readings(decode(concat(reports)).items)).toHaveLength(5);
  });

  it('skips keepalives inside a reply', () => {
    const reports = results([glucoseRecord({ value: 99, time: '2024-01-02T03:04' }, 1)]);
    const keepalive = buildReport(MessageType.keepalive, Uint8Array.of(0x05));
    const step = decode(concat([keepalive, reports[0]!, keepalive, ...reports.slice(1)]));
    expect(codes(step.items)).toEqual(['reading', 'results']);
  });

  it('gives a checksum error and no reading when the reply checksum is wrong', () => {
    const text = textReply(`7,1,1,2,24,3,4,0,99,0,1\r\n1,${hex8(byteSum('7,1,1,2,24,3,4,0,99,0,1\r\n'))}\r\n`).replace(/CKSM:(.{8})/, (_, h: string) => `CKSM:${h.slice(0, 7)}${h.endsWith('0') ? '1' : '0'}`);
    expect(codes(decode(concat(textReports(text))).items)).toEqual(['checksum', 'bad-reply']);
  });

  it('gives a checksum error and no reading when the record checksum is wrong, even if the reply checksum is right', () => {
    const text = textReply('7,1,1,2,24,3,4,0,99,0,1\r\n1,00000000\r\n');
    expect(codes(decode(concat(textReports(text))).items)).toEqual(['checksum', 'bad-reply']);
  });

  it('reads an empty log, HI and LO, and refuses records it cannot read', () => {
    expect(codes(decode(concat(textReports(textReply('Log Empty\r\n')))).items)).toEqual(['results']);
    const items = decode(
      concat(
        results([
          '7,1,1,2,24,3,4,0,HI,0,1,0,0,0,0,0,0,0,0',
          '7,2,1,2,24,3,4,0,LO,0,1,0,0,0,0,0,0,0,0',
          '9,3,1,2,24,3,4,0,18,1',
          '7,4,2,30,24,3,4,0,99,0,1,0,0,0,0,0,0,0,0',
          '7,5,1,2,24,3,4,0,5,0,1,0,0,0,0,0,0,0,0',
          '7,6,1,2,24,3,4,0,99',
        ]),
      ),
    ).items;
    expect(items.map((i) => (i.type === 'status' ? (i.status.detail?.excluded ?? linkOf(i)) : i.type === 'error' ? i.error.code : i.type))).toEqual([
      'reading',
      'reading',
      'unsupported',
      'unsupported',
      'out_of_range',
      'unsupported',
      'results',
    ]);
    // HI and LO are readings at the strip's limits with a comparator: never dropped, never a plain number.
    expect(readings(items).map(({ value, comparator }) => ({ value, comparator }))).toEqual([
      { value: 500, comparator: '>' },
      { value: 20, comparator: '<' },
    ]);
  });

  it('refuses an unflagged value outside the meter’s 20-500 mg/dL range as out_of_range', () => {
    const items = decode(concat(results(['7,1,1,2,24,3,4,0,501,0,1,0,0,0,0,0,0,0,0', '7,2,1,2,24,3,4,0,19,0,1,0,0,0,0,0,0,0,0']))).items;
    expect(readings(items)).toEqual([]);
    expect(items.flatMap((i) => (i.type === 'error' ? [i.error.reason] : []))).toEqual([
      expect.stringMatching(/501 mg\/dL without a HI or LO flag is outside the meter's range/),
      expect.stringMatching(/19 mg\/dL/),
    ]);
  });

  it('reports CMD Fail!, unknown-message answers and foreign reports', () => {
    const items = decode(
      concat([...textReports(textReply('', false)), buildReport(MessageType.unknownMessage, Uint8Array.of(0x85)), new Uint8Array(64).fill(0xee)]),
    ).items;
    expect(codes(items)).toEqual(['unsupported', 'failed', 'unsupported', 'rejected-command', 'garbled']);
  });
});

describe('FreeStyle items and the item contract, however full the meter', () => {
  const fullMeter: SimulatedMeter = {
    serial: 'SIMNEO1-01000',
    results: Array.from({ length: 1000 }, (_, i) => ({ value: 60 + (i % 300), time: '2024-01-02T03:04' })),
  };
  const latin1 = (hex: string) => String.fromCharCode(...fromHex(hex));
  const fits = (items: DecodedItem[]) => items.forEach((item) => decodedItemSchema.parse(item));

  it('gives a 1,000-result download as items that all fit: each reading its own record, the summary only the closing lines', () => {
    const items = decode(concat(transferReports(fullMeter))).items;
    fits(items);
    expect(readings(items)).toHaveLength(1000);
    expect(latin1(readings(items)[999]!.raw)).toBe(glucoseRecord(fullMeter.results[999]!, 1));
    const summary = items.find((i) => linkOf(i) === 'results');
    expect(summary).toMatchObject({ type: 'status', status: { status: 'end', detail: { link: 'results', count: 1000 } } });
    expect(summary?.type === 'status' && latin1(summary.status.raw)).toMatch(/^1000,[0-9A-F]{8}\r\nCKSM:[0-9A-F]{8}\r\nCMD OK\r\n$/);
  });

  it('keeps the end of a 1,000-result reply that fails its checksum, and says how much was left out', () => {
    const broken = textReply(resultsMessage(fullMeter)).replace(/CKSM:([0-9A-F]{8})/, (_, h: string) => `CKSM:${hex8(parseInt(h, 16) + 1)}`);
    const items = decode(concat(textReports(broken))).items;
    fits(items);
    expect(codes(items)).toEqual(['checksum', 'bad-reply']);
    const [error] = items;
    expect(error?.type === 'error' && error.error.reason).toMatch(new RegExp(`Its last ${maxRawBytes} of ${broken.length} bytes are kept\\.$`));
    expect(error?.type === 'error' && latin1(error.error.raw)).toBe(broken.slice(-maxRawBytes));
  });

  it('reports a download cut off mid-reply as one truncated error that fits', () => {
    const reports = transferReports(fullMeter);
    const stream = createStreamDecoder(decode);
    const items = [...reports.slice(0, reports.length - 10).flatMap((r) => stream.push(r)), ...stream.end()];
    fits(items);
    expect(readings(items)).toEqual([]);
    expect(items.at(-1)).toMatchObject({ type: 'error', error: { code: 'truncated' } });
  });

  it('reads neither a one-line reply too long for a serial number nor a record too long for this layout', () => {
    const long = 'X'.repeat(300);
    const items = decode(concat([...textReports(textReply(`${long}\r\n`)), ...results([`7,1,1,2,24,3,4,0,99,0,1,${long}`])])).items;
    fits(items);
    expect(codes(items)).toEqual(['unsupported', 'other-reply', 'unsupported', 'results']);
  });
});

/** A view of the decoder's input that counts the bytes taken out of it: the decoder reads its input one report view at a time. */
class CountedBytes extends Uint8Array<ArrayBufferLike> {
  examined = 0;
  override subarray(begin?: number, end?: number): Uint8Array {
    const part = new Uint8Array(this.buffer, this.byteOffset, this.length).subarray(begin, end);
    this.examined += part.length;
    return part;
  }
}

describe('FreeStyle decoding cost, report by report as HID delivers them', () => {
  it('reads and copies a 1,000-result download a bounded number of times, a long keepalive pause mid-reply included', () => {
    const meter: SimulatedMeter = {
      serial: 'SIMNEO1-00042',
      keepaliveEvery: 3,
      results: Array.from({ length: 1000 }, (_, i) => ({ value: 60 + (i % 300), time: '2024-01-02T03:04' })),
    };
    const download = transferReports(meter);
    // Halfway through the $result? reply the meter sends nothing but keepalives for a while.
    const half = Math.floor(download.length / 2);
    const pause = Array.from({ length: 1000 }, () => buildReport(MessageType.keepalive, Uint8Array.of(0x05)));
    const reports = [...download.slice(0, half), ...pause, ...download.slice(half)];
    const bytes = reports.length * 64;

    let examined = 0;
    const counting: Decode = (input, scanned) => {
      const view = new CountedBytes(input.buffer, input.byteOffset, input.length);
      const step = decode(view, scanned);
      examined += view.examined;
      return step;
    };
    const counted = countCopies(counting);
    const stream = createStreamDecoder(counted.decode);
    const items = [...reports.flatMap((r) => stream.push(r)), ...stream.end()];

    expect(items).toEqual(decode(concat(reports)).items);
    expect(readings(items)).toHaveLength(1000);
    // Every report is read at least once, so the counter sees the reads.
    expect(examined).toBeGreaterThanOrEqual(bytes);
    // Re-reading the pending reply, or the keepalives since its last text, on every
    // new report would cost hundreds of times the download; copying the pending
    // reply into a fresh array on every push likewise.
    expect(examined).toBeLessThanOrEqual(4 * bytes);
    expect(counted.copied()).toBeLessThanOrEqual(2 * bytes);
  });
});
