import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { implausibility } from '../../../app/terminology/vitals';
import type { DecodedReading } from '../../../app/devices/decoded-item';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import type { DecodedItem as Item } from '../decoder';
import { createStreamDecoder } from '../decoder';
import { formatChecksum, ultra2Checksum } from './checksum';
import { decodeUltra2 } from './decoder';
import type { Ultra2Record } from './simulator';
import { ultra2ClockLine, ultra2Header, ultra2RecordLine } from './simulator';
import { concat } from '../../../app/crypto/bytes';

const pad = (n: number) => String(n).padStart(2, '0');
const record: fc.Arbitrary<Ultra2Record> = fc.record({
  time: fc
    .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31, 23, 59, 59)), noInvalidDate: true })
    .map((d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`),
  value: fc.oneof(fc.integer({ min: 20, max: 600 }), fc.integer({ min: 0, max: 999 }), fc.constant('HIGH' as const)),
  control: fc.boolean(),
  flagged: fc.boolean(),
  meal: fc.constantFrom('N' as const, 'B' as const, 'A' as const),
  comment: fc.integer({ min: 0, max: 11 }),
});

/** A dump as lines: the header, then the records, then (as the handshake asks for it next) the clock. */
const dumpLines = fc
  .tuple(fc.stringMatching(/^[0-9A-Z]{9}$/), fc.constantFrom('mg/dL' as const, 'mmol/L' as const), fc.array(record, { maxLength: 12 }), fc.option(record.map((r) => r.time), { nil: undefined }))
  .map(([serial, unit, records, clock]) => [
    ultra2Header({ count: records.length, serial, unit }),
    ...records.map(ultra2RecordLine),
    ...(clock === undefined ? [] : [ultra2ClockLine(clock)]),
  ]);

/** Noise without LF: an LF could end a stray "P " as a line of its own. */
const noise = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => b.map((x) => (x === 0x0a ? 0x0b : x)));

const readingsOf = (items: Item[]): DecodedReading[] => items.flatMap((i) => (i.type === 'reading' ? [i.reading] : []));

function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, n) => bytes.subarray(from, at[n] ?? bytes.length));
}

/** A reading's own line: its checksum holds and its value is one a patient can have. */
function expectSound(reading: DecodedReading) {
  const line = Uint8Array.from(Buffer.from(reading.raw, 'hex'));
  const text = String.fromCharCode(...line);
  const space = text.lastIndexOf(' ');
  expect(formatChecksum(ultra2Checksum(line.subarray(0, space)))).toBe(text.slice(space + 1, space + 5));
  expect(implausibility(reading.kind, reading.value)).toBeUndefined();
}

describe('OneTouch Ultra 2 decoder properties', () => {
  it('never throws on arbitrary bytes and reads only checksum-valid, plausible results', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(fc.oneof(dumpLines.map(concat), noise)).map(concat)), (bytes) => {
        const step = decodeUltra2(bytes);
        expect(step.consumed).toBeGreaterThanOrEqual(0);
        expect(step.consumed).toBeLessThanOrEqual(bytes.length);
        step.items.forEach((item) => decodedItemSchema.parse(item));
        readingsOf(step.items).forEach(expectSound);
      }),
    );
  });

  it('never reads a result from a line with one byte changed, and still reads every other line', () => {
    fc.assert(
      fc.property(dumpLines, fc.nat(), fc.integer({ min: 1, max: 255 }), (lines, where, delta) => {
        const bytes = concat(lines);
        fc.pre(bytes.length > 0);
        const at = where % bytes.length;
        const mutated = Uint8Array.from(bytes);
        mutated[at] = ((mutated[at] ?? 0) + delta) & 0xff;
        let offset = 0;
        const hit = lines.findIndex((l) => (offset += l.length) > at);
        const before = decodeUltra2(bytes).items;
        const after = decodeUltra2(mutated).items;
        readingsOf(after).forEach(expectSound);
        const untouched = lines.filter((_, n) => n !== hit).map((l) => decodeUltra2(l).items);
        for (const reading of readingsOf(untouched.flat())) expect(readingsOf(after)).toContainEqual(reading);
        // The changed line may still read only when the change left its data alone (its CR became an LF).
        const same = (r: DecodedReading) => readingsOf(before).some((o) => o.value === r.value && o.time === r.time);
        expect(readingsOf(after).every(same)).toBe(true);
      }),
    );
  });

  it('decodes a dump split at any byte boundaries exactly as the whole dump', () => {
    fc.assert(
      fc.property(dumpLines, fc.array(fc.nat(), { maxLength: 40 }), (lines, cuts) => {
        const bytes = concat(lines);
        const whole = createStreamDecoder(decodeUltra2);
        const wholeItems: Item[] = [...whole.push(bytes), ...whole.end()];
        const split = createStreamDecoder(decodeUltra2);
        const splitItems = [...chunk(bytes, cuts).flatMap((c) => split.push(c)), ...split.end()];
        expect(splitItems).toEqual(wholeItems);
        expect(wholeItems.every((i) => i.type !== 'error' || i.error.code !== 'garbled')).toBe(true);
      }),
    );
  });

  it('skips noise between lines as one garbled item per run and decodes every line around it', () => {
    fc.assert(
      fc.property(dumpLines, fc.array(fc.option(noise, { nil: undefined }), { minLength: 14, maxLength: 14 }), (lines, noises) => {
        const clean = decodeUltra2(concat(lines)).items;
        const noisy = decodeUltra2(concat(lines.flatMap((l, n) => (noises[n] ? [noises[n], l] : [l])))).items;
        const runs = lines.filter((_, n) => noises[n] !== undefined).length;
        const isGarbled = (i: Item) => i.type === 'error' && i.error.code === 'garbled';
        expect(noisy.filter(isGarbled)).toHaveLength(runs);
        expect(noisy.filter((i) => !isGarbled(i))).toEqual(clean);
      }),
    );
  });
});
