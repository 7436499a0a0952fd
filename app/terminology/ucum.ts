import ucum from '@lhncbc/ucum-lhc';

const utils = ucum.UcumLhcUtils.getInstance();

/** True when `unit` is a valid UCUM expression (`mm[Hg]` is; `mmHg`, `bpm`, `degC` are not). */
export function isUcumUnit(unit: string): boolean {
  return utils.validateUnitString(unit).status === 'valid';
}
