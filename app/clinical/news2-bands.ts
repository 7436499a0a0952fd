import { chartedDecimals, scorePulse, scoreRespirationRate, scoreSpo2, scoreSystolic, scoreTemperature, type News2Points } from './news2';
import type { ChartedVital } from './vital-display';

/** A stretch of a vital's axis where NEWS2 gives the same points; `from`/`to` are open-ended at the extremes. */
export interface News2Band {
  from: number;
  to: number;
  points: News2Points;
}

/**
 * The NEWS2 chart 1 bands of each scored vital, for shading behind a trend.
 * Derived from the scoring functions themselves (each charted value scored,
 * neighbours with the same points joined), so the shading cannot disagree
 * with the score. Boundaries sit halfway between two charted values (20.5
 * between 20 and 21 breaths a minute), which is where half-up rounding puts
 * them. SpO2 uses scale 1: scale 2 is a per-patient clinical choice the
 * trend does not know.
 */
const scored: Partial<Record<ChartedVital, { decimals: number; from: number; to: number; score: (charted: number) => News2Points }>> = {
  respiratoryRate: { decimals: chartedDecimals.respirationRate, from: 0, to: 80, score: scoreRespirationRate },
  spo2: { decimals: chartedDecimals.spo2, from: 50, to: 100, score: (v) => scoreSpo2(v, 1, undefined) },
  systolic: { decimals: chartedDecimals.systolic, from: 30, to: 300, score: scoreSystolic },
  pulse: { decimals: chartedDecimals.pulse, from: 10, to: 300, score: scorePulse },
  bodyTemperature: { decimals: chartedDecimals.temperature, from: 25, to: 45, score: scoreTemperature },
};

export function news2Bands(vital: ChartedVital): News2Band[] {
  const table = scored[vital];
  if (!table) return [];
  const step = 10 ** -table.decimals;
  const half = step / 2;
  const bands: News2Band[] = [];
  const count = Math.round((table.to - table.from) / step);
  for (let i = 0; i <= count; i++) {
    const value = Number((table.from + i * step).toFixed(table.decimals));
    const points = table.score(value);
    const last = bands.at(-1);
    if (last && last.points === points) last.to = value + half;
    else bands.push({ from: value - half, to: value + half, points });
  }
  // The extremes stay in their band however far an axis widens.
  bands[0]!.from = Number.NEGATIVE_INFINITY;
  bands.at(-1)!.to = Number.POSITIVE_INFINITY;
  return bands.map((band) => ({ ...band, from: round(band.from), to: round(band.to) }));
}

const round = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(6)) : value);
