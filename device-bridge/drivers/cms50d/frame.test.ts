import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFrameAt, readFrame } from './frame';
import { cms50dFrame } from './simulator';

const fields = fc.record({
  pleth: fc.integer({ min: 0, max: 127 }),
  spo2: fc.integer({ min: 0, max: 127 }),
  pulse: fc.integer({ min: 0, max: 255 }),
  signalStrength: fc.integer({ min: 0, max: 15 }),
  bargraph: fc.integer({ min: 0, max: 15 }),
  beep: fc.boolean(),
  spo2Dropping: fc.boolean(),
  searchingTooLong: fc.boolean(),
  probeError: fc.boolean(),
  searching: fc.boolean(),
});

describe('CMS50D+ live frame layout', () => {
  it('reads back every field the simulator wrote, and only byte 0 carries the sync bit', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const bytes = cms50dFrame(f);
        expect(Array.from(bytes, (b) => b >> 7)).toEqual([1, 0, 0, 0, 0]);
        expect(checkFrameAt(bytes, 0)).toBe('frame');
        expect(readFrame(bytes, 0)).toEqual(f);
      }),
    );
  });

  it('puts bit 7 of the pulse rate in bit 6 of byte 2 (atbrask/CMS50Dplus)', () => {
    // 200 = 0b1100_1000: bit 7 goes to byte 2 bit 6, the rest to byte 3.
    expect(Array.from(cms50dFrame({ pulse: 200, spo2: 95, pleth: 0 }))).toEqual([0x80, 0x00, 0x40, 0x48, 95]);
  });

  it('waits on a frame start with fewer than five bytes, and refuses a second sync bit', () => {
    expect(checkFrameAt(Uint8Array.from([0x85, 0x10, 0x00]), 0)).toBe('incomplete');
    expect(checkFrameAt(Uint8Array.from([0x85, 0x10, 0x80, 0x00, 0x00]), 0)).toBe('not-a-frame');
    expect(checkFrameAt(Uint8Array.from([0x05, 0x10, 0x00, 0x00, 0x00]), 0)).toBe('not-a-frame');
  });

  it('rejects simulator values a frame cannot carry', () => {
    expect(() => cms50dFrame({ spo2: 128 })).toThrow(RangeError);
    expect(() => cms50dFrame({ pulse: 256 })).toThrow(RangeError);
    expect(() => cms50dFrame({ pleth: -1 })).toThrow(RangeError);
  });
});
