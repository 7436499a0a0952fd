import { describe, expect, it } from 'vitest';
import { convertUcum, glucoseMolarMass, isUcumUnit } from './ucum';
import { implausibility, vitals } from './vitals';

describe('vital signs table', () => {
  it.each(Object.entries(vitals))('%s has a valid UCUM unit', (_kind, vital) => {
    expect(isUcumUnit(vital.unit)).toBe(true);
  });

  it('the units staff often type instead are not UCUM', () => {
    for (const wrong of ['mmHg', 'bpm', 'degC']) expect(isUcumUnit(wrong)).toBe(false);
  });

  it('refuses values no patient can have, with a reason', () => {
    expect(implausibility('spo2', 130)).toMatch(/above 100/);
    expect(implausibility('pulse', 0)).toMatch(/below 20/);
    expect(implausibility('spo2', 97)).toBeUndefined();
    expect(implausibility('bodyWeight', Number.NaN)).toBe('not a number');
  });
});

describe('UCUM conversion', () => {
  it('converts glucose between mg/dL and mmol/L with its molar mass', () => {
    expect(convertUcum(100, 'mg/dL', 'mmol/L', glucoseMolarMass)).toBeCloseTo(5.55, 2);
    expect(convertUcum(5.55, 'mmol/L', 'mg/dL', glucoseMolarMass)).toBeCloseTo(100, 0);
    expect(convertUcum(600, 'mg/dL', 'mmol/L', glucoseMolarMass)).toBeCloseTo(33.3, 1);
  });

  it('refuses mass to moles without a molar mass, and units that measure different things', () => {
    expect(() => convertUcum(100, 'mg/dL', 'mmol/L')).toThrow(/mg\/dL to mmol\/L/);
    expect(() => convertUcum(100, 'kg', 'mm[Hg]')).toThrow();
  });
});
