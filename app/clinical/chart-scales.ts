import type { GlucoseDisplayUnit } from '../settings/clinic-settings';
import type { ChartedVital } from './vital-display';

/**
 * The value axis of each trend chart spans a clinical range, so one reading,
 * or a change of 2 beats a minute, is drawn at its true clinical size instead
 * of filling the chart. The range widens only to show a value outside it.
 */
export const clinicalRanges: Readonly<Record<Exclude<ChartedVital, 'bodyWeight' | 'glucose'>, readonly [number, number]>> = {
  spo2: [70, 100],
  bodyTemperature: [34, 42],
  pulse: [30, 180],
  respiratoryRate: [5, 40],
  systolic: [70, 220],
  diastolic: [40, 130],
};

/** Glucose by display unit (600 mg/dL is where most meters stop reading; 33 mmol/L its equivalent). */
export const glucoseRanges: Readonly<Record<GlucoseDisplayUnit, readonly [number, number]>> = {
  'mg/dL': [20, 600],
  'mmol/L': [1, 33],
};

/** The smallest span of the weight axis, kg: a 0.3 kg change must not look like a collapse. */
const minimumWeightSpanKg = 10;

/** [min, max] of the value axis for `values` (in the display unit). */
export function valueAxisRange(vital: ChartedVital, values: readonly number[], glucoseUnit: GlucoseDisplayUnit = 'mg/dL'): [number, number] {
  const finite = values.filter(Number.isFinite);
  const low = finite.length ? Math.min(...finite) : undefined;
  const high = finite.length ? Math.max(...finite) : undefined;
  if (vital === 'bodyWeight') return weightRange(low, high);
  const [from, to] = vital === 'glucose' ? glucoseRanges[glucoseUnit] : clinicalRanges[vital];
  // Widened by a twentieth of the range beyond the outlying value, so its point is not cut by the edge.
  const margin = (to - from) / 20;
  return [low !== undefined && low < from ? Math.floor(low - margin) : from, high !== undefined && high > to ? Math.ceil(high + margin) : to];
}

/** Weight has no clinical range (a newborn and an adult share the chart): the axis fits the data, at least 10 kg tall. */
function weightRange(low: number | undefined, high: number | undefined): [number, number] {
  if (low === undefined || high === undefined) return [0, minimumWeightSpanKg];
  const span = Math.max(minimumWeightSpanKg, (high - low) * 1.2);
  const from = Math.max(0, Math.floor((low + high) / 2 - span / 2));
  return [from, Math.ceil(Math.max(from + span, high))];
}

const hourMs = 3_600_000;

/**
 * [min, max] of the time axis, ms: from the first reading to the last, never
 * past `now` (a chart drawn into the future suggests readings that do not
 * exist). A single reading gets the hour before it, so it is not at a
 * degenerate zero-width axis.
 */
export function timeAxisRange(times: readonly number[], now: number): [number, number] {
  const finite = times.filter(Number.isFinite);
  if (finite.length === 0) return [now - hourMs, now];
  const first = Math.min(...finite);
  const last = Math.max(...finite);
  if (last > first) return [first, last];
  return [first - hourMs, last];
}
