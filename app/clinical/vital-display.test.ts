import { describe, expect, it } from 'vitest';
import { chartedVitalOf, displayUnitOf, toDisplayValue, vitalNameKey } from './vital-display';

describe('vital display', () => {
  it('shows glucose in the clinic’s unit, converted by UCUM with glucose’s molar mass, whatever unit it was stored in', () => {
    expect(displayUnitOf('glucose', 'mmol/L')).toBe('mmol/L');
    expect(toDisplayValue('glucoseMass', 180.16, 'mmol/L')).toBeCloseTo(10, 6);
    expect(toDisplayValue('glucoseMoles', 10, 'mg/dL')).toBeCloseTo(180.16, 6);
    expect(toDisplayValue('glucoseMass', 104, 'mg/dL')).toBe(104);
  });

  it('leaves other vitals in their stored unit', () => {
    expect(displayUnitOf('bodyTemperature', 'mmol/L')).toBe('Cel');
    expect(toDisplayValue('bodyTemperature', 37.4, 'mmol/L')).toBe(37.4);
  });

  it('gives each vital one name, both glucose codes included', () => {
    expect(chartedVitalOf('glucoseMoles')).toBe('glucose');
    expect(vitalNameKey('glucoseMass')).toBe('vitals.kinds.glucose');
    expect(vitalNameKey('respiratoryRate')).toBe('vitals.kinds.respiratoryRate');
  });
});
