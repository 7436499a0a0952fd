import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toKilograms, unitCodes } from './units';

describe('HID scale units', () => {
  it.each([
    [724, -1, 'kg', 72.4],
    [72400, 0, 'g', 72.4],
    [1596, -1, 'lb', 72.393342], // 159.6 lb × 0.45359237 = 72.393342252 kg
    [25536, -1, 'oz', 72.393342], // 2553.6 oz = 159.6 lb
    [1, -1, 'oz', 0.002835], // 2.8349523125 g, rounded half-up to the milligram
    [5, 2, 'kg', 500],
    [1234, 0, 'mg', 0.001234],
  ] as const)('%d × 10^%d %s is %d kg', (weight, exponent, unit, kg) => {
    expect(toKilograms(weight, exponent, unitCodes[unit])).toBe(kg);
  });

  it('converts nothing in a unit it does not support (carats, troy ounces, tons, unknown)', () => {
    for (const unit of [0, 4, 5, 6, 7, 8, 9, 10, 13, 255]) expect(toKilograms(100, 0, unit)).toBeUndefined();
  });

  it('is exact for metric units: the decimal shift of the count, to the milligram', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: -3, max: 2 }), (weight, exponent) => {
        const grams = toKilograms(weight, exponent, unitCodes.g);
        expect(grams).toBe(Number(`${weight}e${exponent - 3}`));
        expect(toKilograms(weight, exponent, unitCodes.kg)).toBe(Number(`${weight}e${exponent}`));
      }),
    );
  });

  it('handles the whole exponent range without losing its way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: -128, max: 127 }), fc.constantFrom(1, 2, 3, 11, 12), (weight, exponent, unit) => {
        const kg = toKilograms(weight, exponent, unit);
        expect(Number.isFinite(kg)).toBe(true);
        expect(kg).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
