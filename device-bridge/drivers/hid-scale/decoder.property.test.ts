import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { implausibility } from '../../../app/terminology/vitals';
import type { DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { hidScaleDriver } from './index';
import { decodeHidScale } from './decoder';
import { readReport } from './report';
import { scaleReport } from './simulator';
import { toKilograms } from './units';
import { concat } from '../../../app/crypto/bytes';

/** Data reports as a scale might send them, every field free. */
const report = fc
  .record({
    status: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(4), fc.integer({ min: 0, max: 255 })),
    unit: fc.oneof(fc.constantFrom(2, 3, 11, 12), fc.integer({ min: 0, max: 255 })),
    exponent: fc.oneof(fc.integer({ min: -2, max: 0 }), fc.integer({ min: -128, max: 127 })),
    weight: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 0xffff })),
  })
  .map(scaleReport);

/** Whole reports that are not data report 3. */
const foreign = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((r) => Uint8Array.from(r, (b, k) => (k === 0 && b === 3 ? 4 : b)));


function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, n) => bytes.subarray(from, at[n] ?? bytes.length));
}


describe('HID scale decoder properties', () => {
  it('never throws on arbitrary bytes, consumes whole reports, and reads only plausible stable weights', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.array(fc.oneof(report, foreign)).map(concat)), (bytes) => {
        const step = decodeHidScale(bytes);
        expect(step.consumed % 6).toBe(0);
        expect(bytes.length - step.consumed).toBeLessThan(6);
        for (const item of step.items) {
          decodedItemSchema.parse(item);
          if (item.type !== 'reading') continue;
          expect(implausibility('bodyWeight', item.reading.value)).toBeUndefined();
          const r = readReport(Uint8Array.from(Buffer.from(item.reading.raw, 'hex')), 0);
          expect(r.reportId).toBe(3);
          expect(r.status).toBe(4);
          expect(toKilograms(r.weight, r.exponent, r.unit)).toBe(item.reading.value);
        }
      }),
    );
  });

  it('gives the same weighings, states and errors for reports split at any byte boundaries', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), (reports, cuts) => {
        const bytes = concat(reports);
        const whole = createDeviceStream(hidScaleDriver);
        const wholeItems = [...whole.push(bytes), ...whole.end()];
        const split = createDeviceStream(hidScaleDriver);
        const splitItems = [...chunk(bytes, cuts).flatMap((c) => split.push(c)), ...split.end()];
        // Every weighing, state and error, in order: none of it may depend on how the reports were batched.
        expect(splitItems).toEqual(wholeItems);
      }),
    );
  });

  it('reports foreign reports between data reports as garbled, one item per run, and decodes the rest as without them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(foreign, { maxLength: 3 }), report), { minLength: 1, maxLength: 20 }), (pairs) => {
        const clean = decodeHidScale(concat(pairs.map(([, r]) => r))).items;
        const noisy = decodeHidScale(concat(pairs.flatMap(([g, r]) => [...g, r]))).items;
        const isGarbled = (i: DecodedItem) => i.type === 'error' && i.error.code === 'garbled';
        expect(noisy.filter(isGarbled)).toHaveLength(pairs.filter(([g]) => g.length > 0).length);
        expect(noisy.filter((i) => !isGarbled(i))).toEqual(clean);
      }),
    );
  });
});
