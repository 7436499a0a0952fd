import type { TFunction } from 'i18next';
import type { Comparator } from '../../app/devices/decoded-item';
import { unitDisplay } from '../../app/observations/observation';

/** A measured value as devices and stored observations carry it: a UCUM unit, and a comparator for a result beyond the meter's range. */
export interface MeasuredValue {
  value: number;
  unit: string;
  comparator?: Comparator;
}

/** The UCUM code as people write it (`mm[Hg]` is mmHg); a unit outside the table is shown as it is. */
export function unitText(unit: string): string {
  return Object.hasOwn(unitDisplay, unit) ? unitDisplay[unit as keyof typeof unitDisplay] : unit;
}

/**
 * The value with its unit and, beyond the meter's range, the comparator in
 * front ("> 600 mg/dL"): the number is then the meter's limit, never to be
 * read as a measurement.
 */
export function limitText(locale: string, measured: MeasuredValue): string {
  const number = measured.value.toLocaleString(locale, { maximumFractionDigits: 3 });
  return `${measured.comparator === undefined ? '' : `${measured.comparator} `}${number} ${unitText(measured.unit)}`;
}

/** The value as text wherever a stored value is listed: "> 600 mg/dL (above the meter's range)", or "72.4 kg". */
export function measuredValueText(t: TFunction, locale: string, measured: MeasuredValue): string {
  const text = limitText(locale, measured);
  if (measured.comparator === undefined) return text;
  return t(measured.comparator === '>' ? 'observation.value.above' : 'observation.value.below', { value: text });
}
