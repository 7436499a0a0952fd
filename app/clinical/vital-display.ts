import type { GlucoseDisplayUnit } from '../settings/clinic-settings';
import { convertUcum, glucoseMolarMass } from '../terminology/ucum';
import { vitals, type VitalKind } from '../terminology/vitals';

/**
 * The vitals the chart draws, one chart each. Glucose is one vital however a
 * meter reported it (LOINC has a mass and a molar code): both are drawn
 * together, in the clinic's chosen unit.
 */
export const chartedVitals = ['spo2', 'pulse', 'respiratoryRate', 'systolic', 'diastolic', 'bodyTemperature', 'bodyWeight', 'glucose'] as const;
export type ChartedVital = (typeof chartedVitals)[number];

export function chartedVitalOf(kind: VitalKind): ChartedVital {
  return kind === 'glucoseMass' || kind === 'glucoseMoles' ? 'glucose' : kind;
}

/** The i18n key naming each vital: the one name used by the form, the chart, NEWS2 and the tables. */
export function vitalNameKey(vital: ChartedVital | VitalKind | 'consciousness' | 'airOrOxygen'): string {
  return `vitals.kinds.${vital === 'glucoseMass' || vital === 'glucoseMoles' ? 'glucose' : vital}`;
}

/** The UCUM unit a vital is shown in: its stored unit, except glucose, shown in the clinic's unit. */
export function displayUnitOf(vital: ChartedVital, glucoseUnit: GlucoseDisplayUnit): string {
  return vital === 'glucose' ? glucoseUnit : vitals[vital].unit;
}

/**
 * A stored value (kept in its own UCUM unit, never rewritten) in the unit it
 * is shown in, converted by UCUM; glucose between mass and moles needs its
 * molar mass (180.16 g/mol).
 */
export function toDisplayValue(kind: VitalKind, value: number, glucoseUnit: GlucoseDisplayUnit): number {
  const vital = chartedVitalOf(kind);
  const to = displayUnitOf(vital, glucoseUnit);
  return convertUcum(value, vitals[kind].unit, to, vital === 'glucose' ? glucoseMolarMass : undefined);
}

/** Decimals a value is shown with in its display unit: mmol/L needs one, mg/dL none. */
export function displayDecimals(vital: ChartedVital, unit: string): number {
  if (vital === 'bodyTemperature' || unit === 'mmol/L') return 1;
  if (vital === 'bodyWeight') return 1;
  return 0;
}
