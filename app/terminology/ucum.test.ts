import { describe, expect, it } from 'vitest';
import { isUcumUnit } from './ucum';
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
