import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodedItemSchema } from '../../../app/devices/decoded-item';
import { implausibility } from '../../../app/terminology/vitals';
import type { DecodedItem } from '../decoder';
import { createDeviceStream } from '../device-stream';
import { cms50dDriver } from './index';
import { decodeCms50d } from './decoder';
import { checkFrameAt, readFrame } from './frame';
import { cms50dFrame } from './simulator';
import { concat } from '../../../app/crypto/bytes';

/** Frames as a device sends them: any field values, flags included. */
const frame = fc
  .record({
    pleth: fc.integer({ min: 0, max: 127 }),
    spo2: fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 85, max: 100 })),
    pulse: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 40, max: 180 })),
    signalStrength: fc.integer({ min: 0, max: 15 }),
    searchingTooLong: fc.boolean(),
    probeError: fc.boolean(),
    searching: fc.boolean(),
  })
  .map(cms50dFrame);

/** Noise that holds no frame: wherever a sync bit is followed by four clear bytes, set one more sync bit. */
const noise = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => {
  const out = Uint8Array.from(bytes);
  for (let k = 0; k + 4 < out.length; k++) if (checkFrameAt(out, k) === 'frame') out[k + 1] = (out[k + 1] ?? 0) | 0x80;
  return out;
});


function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((from, n) => bytes.subarray(from, at[n] ?? bytes.length));
}

/** What a live reading run shows: the wave, then every reading, status and error in order (waveform pieces depend on batching; nothing else may). */
function summary(items: DecodedItem[]) {
  return {
    samples: items.flatMap((i) => (i.type === 'waveform' ? i.samples : [])),
    said: items.filter((i) => i.type !== 'waveform'),
  };
}

describe('CMS50D+ decoder properties', () => {
  it('never throws on arbitrary bytes, consumes a prefix, and reads only plausible values from real frames', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.array(fc.oneof(frame, noise)).map(concat)), (bytes) => {
        const step = decodeCms50d(bytes);
        expect(step.consumed).toBeGreaterThanOrEqual(0);
        expect(step.consumed).toBeLessThanOrEqual(bytes.length);
        for (const item of step.items) {
          decodedItemSchema.parse(item);
          if (item.type !== 'reading') continue;
          const { kind, value, raw } = item.reading;
          expect(implausibility(kind, value)).toBeUndefined();
          const source = Uint8Array.from(Buffer.from(raw, 'hex'));
          expect(checkFrameAt(source, 0)).toBe('frame');
          expect(source.length).toBe(5);
          const f = readFrame(source, 0);
          expect(f.probeError || f.searching || f.searchingTooLong).toBe(false);
          expect(kind === 'spo2' ? f.spo2 : f.pulse).toBe(value);
        }
      }),
    );
  });

  it('gives the same readings, statuses and errors for a valid stream split at any byte boundaries', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (frames, cuts) => {
        const bytes = concat(frames);
        const whole = createDeviceStream(cms50dDriver);
        const wholeItems = [...whole.push(bytes), ...whole.end()];
        const split = createDeviceStream(cms50dDriver);
        const splitItems = [...chunk(bytes, cuts).flatMap((c) => split.push(c)), ...split.end()];
        expect(summary(splitItems)).toEqual(summary(wholeItems));
      }),
    );
  });

  it('gives one reading per change of value: a value held for many frames is one reading, each change another', () => {
    const held = fc.record({ spo2: fc.integer({ min: 85, max: 100 }), pulse: fc.integer({ min: 40, max: 180 }), frames: fc.integer({ min: 1, max: 90 }) });
    fc.assert(
      fc.property(fc.array(held, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (runs, cuts) => {
        const bytes = concat(runs.flatMap((r) => Array.from({ length: r.frames }, () => cms50dFrame({ spo2: r.spo2, pulse: r.pulse }))));
        const stream = createDeviceStream(cms50dDriver);
        const items = [...chunk(bytes, cuts).flatMap((c) => stream.push(c)), ...stream.end()];
        const changes = (kind: 'spo2' | 'pulse') => runs.map((r) => r[kind]).filter((v, n, all) => n === 0 || v !== all[n - 1]);
        const got = (kind: string) => items.flatMap((i) => (i.type === 'reading' && i.reading.kind === kind ? [i.reading.value] : []));
        expect(got('spo2')).toEqual(changes('spo2'));
        expect(got('pulse')).toEqual(changes('pulse'));
      }),
    );
  });

  it('skips noise between frames as garbled, one item per run, and still decodes every frame around it', () => {
    fc.assert(
      // Noise goes before each frame, so a frame start always ends it.
      fc.property(fc.array(fc.tuple(fc.option(noise, { nil: undefined }), frame), { minLength: 1, maxLength: 20 }), (pairs) => {
        const clean = concat(pairs.map(([, f]) => f));
        const noisy = concat(pairs.flatMap(([n, f]) => (n ? [n, f] : [f])));
        const runs = pairs.filter(([n]) => n !== undefined).length;
        const noisyItems = decodeCms50d(noisy).items;
        const cleanItems = decodeCms50d(clean).items;
        const garbled = noisyItems.filter((i) => i.type === 'error' && i.error.code === 'garbled');
        expect(garbled).toHaveLength(runs);
        const withoutGarbled = noisyItems.filter((i) => !(i.type === 'error' && i.error.code === 'garbled'));
        expect(withoutGarbled).toEqual(cleanItems);
      }),
    );
  });
});
