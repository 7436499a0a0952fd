import ucum from '@lhncbc/ucum-lhc';

const utils = ucum.UcumLhcUtils.getInstance();

/** True when `unit` is a valid UCUM expression (`mm[Hg]` is; `mmHg`, `bpm`, `degC` are not). */
export function isUcumUnit(unit: string): boolean {
  return utils.validateUnitString(unit).status === 'valid';
}

/** Glucose (C6H12O6), g/mol: what UCUM needs to turn a mass concentration into a molar one. */
export const glucoseMolarMass = 180.16;

/**
 * `value` in `from` converted to `to` by UCUM. Between a mass and an amount
 * of substance (mg/dL and mmol/L) UCUM needs the substance's molar mass;
 * without it, or between units that do not measure the same thing, this
 * throws rather than guess (the message names the units only, never a value).
 */
export function convertUcum(value: number, from: string, to: string, molarMass?: number): number {
  if (from === to) return value;
  const result = utils.convertUnitTo(from, value, to, molarMass === undefined ? {} : { molecularWeight: molarMass });
  if (result.status !== 'succeeded' || result.toVal === null) throw new Error(`UCUM cannot convert ${from} to ${to}`);
  return result.toVal;
}
