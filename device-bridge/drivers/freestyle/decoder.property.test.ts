import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { createStreamDecoder, type DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { decodeInChunks, errorCodes, fromHex, readings } from '../test-support';
import { decode } from './decoder';
import { freestyleDriver } from './index';
import { MessageType, textReports } from './reports';
import { resultsMessage, textReply, transferReports, type SimulatedMeter, type StoredResult } from './simulator';
import { byteSum, hex8 } from './text';
import { concat } from '../../../app/crypto/bytes';

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

const two = (n: number) => String(n).padStart(2, '0');
const time = fc
  .record({ y: fc.integer({ min: 2000, max: 2099 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }) })
  .map(({ y, mo, d, h, mi }) => `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`);
const result: fc.Arbitrary<StoredResult> = fc.record({
  value: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 20, max: 500 }) }, { weight: 1, arbitrary: fc.constantFrom('HI' as const, 'LO' as const) }),
  time,
  control: fc.boolean(),
});
const meter: fc.Arbitrary<SimulatedMeter> = fc.record({
  serial: fc.stringMatching(/^[A-Z0-9]{7}-[A-Z0-9]{5}$/),
  // A set clock, one that lost its power (null), or a meter that refuses the clock commands.
  clock: fc.oneof(time, fc.constant(null), fc.constant(undefined)),
  results: fc.array(result, { maxLength: 15 }),
  keepaliveEvery: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
});
/** Every patient result becomes a reading; HI and LO at the strip's limits (500 and 20 mg/dL). */
const expectedValues = (m: SimulatedMeter) => m.results.flatMap((r) => (r.control ? [] : [r.value === 'HI' ? 500 : r.value === 'LO' ? 20 : r.value]));
const expectedComparators = (m: SimulatedMeter) => m.results.flatMap((r) => (r.control ? [] : [r.value === 'HI' ? '>' : r.value === 'LO' ? '<' : undefined]));

const rawOf = (item: DecodedItem): string => (item.type === 'reading' ? item.reading.raw : item.type === 'status' ? item.status.raw : item.type === 'error' ? item.error.raw : item.raw);

/**
 * Every item fits the contract, and every reading is one of the `count`
 * records (one item each) just before a `results` summary, which carries the
 * reply's closing lines: those records and those lines must make a reply
 * whose record and reply checksums both hold. So the audit trail of a
 * download adds up to exactly the reply that was verified.
 */
const readingsAreFromGoodReplies = (items: DecodedItem[]) => {
  items.forEach((item) => decodedItemSchema.parse(item));
  const verified = new Set<DecodedItem>();
  items.forEach((item, at) => {
    if (item.type !== 'status' || item.status.detail?.link !== 'results') return;
    const count = Number(item.status.detail.count);
    const records = items.slice(at - count, at);
    expect(records).toHaveLength(count);
    const body = records.map((r) => `${latin1(fromHex(rawOf(r)))}\r\n`).join('');
    const closing = latin1(fromHex(item.status.raw));
    const [, counted, recordSum, replySum] = /^(?:(\d+),([0-9A-F]{8})|Log Empty)\r\nCKSM:([0-9A-F]{8})\r\nCMD OK\r\n$/.exec(closing) ?? [];
    expect(replySum).toBeDefined();
    expect(hex8(byteSum(body + closing.slice(0, closing.indexOf('CKSM:'))))).toBe(replySum);
    if (counted === undefined) expect(count).toBe(0);
    else {
      expect(Number(counted)).toBe(count);
      expect(hex8(byteSum(body))).toBe(recordSum);
    }
    records.forEach((r) => verified.add(r));
  });
  for (const item of items) if (item.type === 'reading') expect(verified.has(item)).toBe(true);
};

const knownTypes: number[] = Object.values(MessageType);
const interesting = fc.constantFrom(0x0d, 0x0a, 0x2c, 0x37, 0x30, 0x31, 0x39, ...Array.from('CKSM:CMD OK', (c) => c.charCodeAt(0)));
const textLikeReport = fc
  .tuple(fc.integer({ min: 0, max: 70 }), fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { minLength: 62, maxLength: 62 }))
  .map(([len, payload]) => Uint8Array.from([MessageType.text, len, ...payload]));
const anyReport = fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), textLikeReport);
/** A report no FreeStyle meter sends: an unknown type, or an impossible length. */
const garbageReport = fc.uint8Array({ minLength: 64, maxLength: 64 }).filter((r) => !knownTypes.includes(r[0] ?? 0) || (r[1] ?? 0) > 62);

describe('FreeStyle decoder properties', () => {
  it('(1) never throws on arbitrary bytes or reports, consumes whole reports, and reads only from replies with good checksums', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.array(anyReport, { maxLength: 12 }).map(concat)), (bytes) => {
        const step = decode(bytes);
        expect(step.consumed % 64).toBe(0);
        expect(step.consumed).toBeLessThanOrEqual(bytes.length);
        readingsAreFromGoodReplies(step.items);
        const stream = createStreamDecoder(decode);
        readingsAreFromGoodReplies([...stream.push(bytes), ...stream.end()]);
      }),
      { numRuns: 500 },
    );
  });

  it('(1b) one byte changed anywhere in a real download never gives a reading the meter did not store', () => {
    // One changed byte always changes a sum checksum; two can cancel out, which no sum can catch.
    fc.assert(
      fc.property(meter, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, where, value) => {
        const bytes = concat(transferReports(m));
        bytes[where % bytes.length] = value;
        const items = decode(bytes).items;
        readingsAreFromGoodReplies(items);
        const stored = new Set(expectedValues(m));
        for (const r of readings(items)) expect(stored.has(r.value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('(2) decodes a download identically however the bytes are chunked', () => {
    fc.assert(
      fc.property(meter, fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 40 }), (m, sizes) => {
        const bytes = concat(transferReports(m));
        const whole = decode(bytes);
        expect(whole.consumed).toBe(bytes.length);
        const items = decodeInChunks(decode, bytes, sizes);
        expect(items).toEqual(whole.items);
        expect(readings(items).map((r) => r.value)).toEqual(expectedValues(m));
        expect(readings(items).map((r) => r.comparator)).toEqual(expectedComparators(m));
      }),
      { numRuns: 200 },
    );
  });

  it('(2b) gives the meter’s clock as one header with meterTime however the reports arrive, and only for a set clock', () => {
    fc.assert(
      fc.property(meter, fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 40 }), (m, sizes) => {
        const bytes = concat(transferReports(m));
        const stream = createDeviceStream(freestyleDriver);
        const chunks: Uint8Array[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const size = sizes[i % sizes.length] ?? 1;
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        const items = [...chunks.flatMap((c) => stream.push(c)), ...stream.end()];
        const times = items.flatMap((i) => (i.type === 'status' && i.status.detail?.meterTime !== undefined ? [i.status.detail.meterTime] : []));
        expect(times).toEqual(typeof m.clock === 'string' ? [`${m.clock}:00`] : []);
        expect(readings(items).map((r) => r.value)).toEqual(expectedValues(m));
      }),
      { numRuns: 200 },
    );
  });

  it('(3) garbage reports between (and inside) replies are garbled errors; the real results still decode', () => {
    fc.assert(
      fc.property(meter, fc.array(fc.tuple(fc.nat(), garbageReport), { maxLength: 8 }), (m, injections) => {
        const reports = transferReports(m);
        const mixed = [...reports];
        for (const [where, report] of injections) mixed.splice(where % (mixed.length + 1), 0, report);
        const items = decode(concat(mixed)).items;
        expect(readings(items)).toEqual(readings(decode(concat(reports)).items));
        expect(errorCodes(items).filter((c) => c === 'garbled')).toHaveLength(injections.length);
        expect(readings(items).map((r) => r.value)).toEqual(expectedValues(m));
      }),
      { numRuns: 200 },
    );
  });

  it('(4) a reply with a corrupted checksum gives a checksum error and no reading', () => {
    fc.assert(
      fc.property(
        meter.filter((m) => m.results.length > 0),
        fc.boolean(),
        fc.integer({ min: 1, max: 0xffff }),
        (m, inner, delta) => {
          const message = resultsMessage(m);
          const corrupt = (hex: string) => hex8((parseInt(hex, 16) + delta) % 0x100000000);
          const text = inner
            ? textReply(message.replace(/,([0-9A-F]{8})\r\n$/, (_, h: string) => `,${corrupt(h)}\r\n`))
            : textReply(message).replace(/CKSM:([0-9A-F]{8})/, (_, h: string) => `CKSM:${corrupt(h)}`);
          const items = decode(concat(textReports(text))).items;
          expect(errorCodes(items)).toEqual(['checksum']);
          expect(readings(items)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
