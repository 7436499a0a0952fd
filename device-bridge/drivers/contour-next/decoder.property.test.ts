import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { CR, ENQ, EOT, ETB, ETX, LF, STX, parseFrame } from '../astm/e1381';
import { createStreamDecoder, type DecodedItem } from '../decoder';
import { decodeInChunks, errorCodes, fromHex, readings } from '../test-support';
import { decode } from './decoder';
import { meterMessages, transferReports, type SimulatedMeter, type StoredResult } from './simulator';
import { toInputReports } from './reports';
import { concat } from '../../../app/crypto/bytes';


const two = (n: number) => String(n).padStart(2, '0');
const time = fc
  .record({ y: fc.integer({ min: 2010, max: 2035 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }) })
  .map(({ y, mo, d, h, mi }) => `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`);
const markers = fc.constantFrom('', 'B', 'A', 'A/Z3', 'D/ZC', 'C', '>', '<', 'B/X');
const result: fc.Arbitrary<StoredResult> = fc.oneof(
  fc.record({ value: fc.integer({ min: 20, max: 600 }).map(String), unit: fc.constant('mg/dL' as const), time, markers }),
  fc.record({ value: fc.integer({ min: 11, max: 333 }).map((n) => (n / 10).toFixed(1)), unit: fc.constant('mmol/L' as const), time, markers }),
);
const meter: fc.Arbitrary<SimulatedMeter> = fc.record({
  product: fc.constantFrom('Bayer7410', 'Bayer7390', 'Contour7410'),
  serial: fc.stringMatching(/^[0-9]{4}-[0-9]{7}$/),
  unit: fc.constantFrom('mg/dL' as const, 'mmol/L' as const),
  clock: time,
  results: fc.array(result, { maxLength: 12 }),
});
const markersOf = (r: StoredResult) => (r.markers ?? '').split('/');
/** Results that should become readings: every one but control solution, a HI or LO one too (at the meter's limit). */
const expectedResults = (m: SimulatedMeter) => m.results.filter((r) => !markersOf(r).includes('C'));
const expectedValues = (m: SimulatedMeter) => expectedResults(m).map((r) => Number(r.value));
/** The comparator each expected reading carries: `>` above the meter's range, `<` below, none for a measured value. */
const expectedComparators = (m: SimulatedMeter) => expectedResults(m).map((r) => (markersOf(r).includes('>') ? '>' : markersOf(r).includes('<') ? '<' : undefined));

/** Bytes that make the decoder's paths likely: frame delimiters, hex digits, record text. */
const interesting = fc.constantFrom(STX, ETX, ETB, CR, LF, EOT, ENQ, 0x06, 0x15, 0x30, 0x31, 0x41, 0x46, 0x52, 0x7c, 0x5e);
const abcReport = fc
  .tuple(fc.integer({ min: 0, max: 63 }), fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { minLength: 60, maxLength: 60 }))
  .map(([len, payload]) => Uint8Array.from([0x41, 0x42, 0x43, len, ...payload]));
const anyReport = fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), abcReport);
/** A report that cannot be mistaken for a meter report: its header is not "ABC". */
const garbageReport = fc.uint8Array({ minLength: 64, maxLength: 64 }).filter((r) => !(r[0] === 0x41 && r[1] === 0x42 && r[2] === 0x43));

/** Every item fits the contract, and every reading comes from a frame that passes its checksum. */
const readingsAreFromGoodFrames = (items: DecodedItem[]) => {
  items.forEach((item) => decodedItemSchema.parse(item));
  for (const r of readings(items)) expect(parseFrame(fromHex(r.raw)).kind).toBe('frame');
};

describe('Contour Next USB decoder properties', () => {
  it('(1) never throws on arbitrary bytes or reports, consumes whole reports, and reads only from frames with good checksums', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.array(anyReport, { maxLength: 12 }).map(concat)), (bytes) => {
        const step = decode(bytes);
        expect(step.consumed % 64).toBe(0);
        expect(step.consumed).toBeLessThanOrEqual(bytes.length);
        readingsAreFromGoodFrames(step.items);
        const stream = createStreamDecoder(decode);
        readingsAreFromGoodFrames([...stream.push(bytes), ...stream.end()]);
      }),
      { numRuns: 500 },
    );
  });

  it('(1b) one byte changed anywhere in a real transfer never gives a reading the meter did not store', () => {
    // One changed byte always changes a sum checksum; two can cancel out, which no sum can catch.
    fc.assert(
      fc.property(meter, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, where, value) => {
        const bytes = concat(transferReports(m));
        bytes[where % bytes.length] = value;
        const items = decode(bytes).items;
        readingsAreFromGoodFrames(items);
        const stored = new Set(expectedValues(m));
        for (const r of readings(items)) expect(stored.has(r.value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('(2) decodes a transfer identically however the bytes are chunked', () => {
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

  it('(3) garbage reports between (and inside) messages are garbled errors; the real results still decode', () => {
    fc.assert(
      fc.property(meter, fc.array(fc.tuple(fc.nat(), garbageReport), { maxLength: 8 }), (m, injections) => {
        const reports = transferReports(m);
        const mixed = [...reports];
        for (const [where, report] of injections) mixed.splice(where % (mixed.length + 1), 0, report);
        const items = decode(concat(mixed)).items;
        expect(readings(items)).toEqual(readings(decode(concat(reports)).items));
        expect(errorCodes(items)).toEqual(injections.map(() => 'garbled'));
      }),
      { numRuns: 200 },
    );
  });

  it('(4) a frame with a corrupted checksum gives a checksum error and no reading', () => {
    fc.assert(
      fc.property(
        meter.filter((m) => m.results.length > 0),
        fc.nat(),
        fc.constantFrom(...'0123456789ABCDEF'),
        (m, pick, digit) => {
          const messages = meterMessages(m);
          const index = 3 + (pick % m.results.length); // ENQ, H, P, then the results
          const frame = messages[index]!.slice();
          const at = frame.length - 4; // first checksum digit
          if (frame[at] === digit.charCodeAt(0)) frame[at + 1] = frame[at + 1] === 0x30 ? 0x31 : 0x30;
          else frame[at] = digit.charCodeAt(0);
          messages[index] = frame;
          const items = decode(concat(messages.flatMap(toInputReports))).items;
          expect(errorCodes(items).filter((c) => c === 'checksum')).toHaveLength(1);
          const expected = expectedValues({ ...m, results: m.results.filter((_, i) => i !== pick % m.results.length) });
          expect(readings(items).map((r) => r.value)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
