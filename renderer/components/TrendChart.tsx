import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { News2Band } from '../../app/clinical/news2-bands';

export interface TrendPoint {
  /** ms since the epoch. */
  at: number;
  /** In the display unit; for a result beyond a meter's range, the meter's limit. */
  value: number;
  /** `>` or `<`: the true value is beyond `value`; drawn as a marked point at the limit. */
  comparator?: '>' | '<' | undefined;
}

export interface TrendChartProps {
  /** The vital's name with its unit, e.g. "Pulse (/min)": the value axis' label. */
  label: string;
  /** The time axis' label, translated. */
  timeLabel: string;
  points: readonly TrendPoint[];
  /** [min, max] ms: the readings' span (chart-scales.ts), never into the future. */
  timeRange: readonly [number, number];
  /** [min, max] in the display unit: the vital's clinical range, widened only for a value outside it. */
  valueRange: readonly [number, number];
  /** NEWS2 bands shaded behind the line, so a point's points are visible at a glance. */
  bands: readonly News2Band[];
  /** Text of a value (language's decimals) and of a time-axis tick (language and clinic date order). */
  formatValue: (value: number) => string;
  formatTick: (ms: number) => string;
  /** Spoken summary for screen readers (the table below has the detail). */
  summary: string;
}

const bandFill: Record<News2Band['points'], string | undefined> = {
  0: undefined,
  1: 'rgba(240, 190, 0, 0.16)',
  2: 'rgba(240, 120, 0, 0.2)',
  3: 'rgba(210, 30, 30, 0.16)',
};

/** One vital over time (uPlot: small, fast, and draws hundreds of points without strain). */
export function TrendChart({ label, timeLabel, points, timeRange, valueRange, bands, formatValue, formatTick, summary }: TrendChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const [xMin, xMax] = [timeRange[0] / 1000, timeRange[1] / 1000];
    const [yMin, yMax] = valueRange;

    const shadeBands = (u: uPlot) => {
      const { ctx, bbox } = u;
      for (const band of bands) {
        const fill = bandFill[band.points];
        if (!fill) continue;
        const top = u.valToPos(Math.min(band.to, yMax), 'y', true);
        const bottom = u.valToPos(Math.max(band.from, yMin), 'y', true);
        if (bottom <= top) continue;
        ctx.fillStyle = fill;
        ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
      }
    };

    // A result beyond the meter's range is not a measurement: a triangle
    // pointing past the limit, with its label ("> 600"), instead of a plain point.
    const markBeyondRange = (u: uPlot) => {
      const { ctx } = u;
      const pixel = devicePixelRatio;
      for (const point of points) {
        if (!point.comparator) continue;
        const x = u.valToPos(point.at / 1000, 'x', true);
        const y = u.valToPos(point.value, 'y', true);
        const size = 7 * pixel;
        const tip = point.comparator === '>' ? -size : size;
        ctx.fillStyle = '#b3261e';
        ctx.beginPath();
        ctx.moveTo(x - size, y);
        ctx.lineTo(x + size, y);
        ctx.lineTo(x, y + tip);
        ctx.closePath();
        ctx.fill();
        ctx.font = `${12 * pixel}px sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText(`${point.comparator} ${formatValue(point.value)}`, x + size + 3 * pixel, y + tip);
      }
    };

    // The drawn axes, for tests and support: read from uPlot's own scales after it drew.
    const recordScales = (u: uPlot) => {
      const { x, y } = u.scales;
      if (x?.min != null && x.max != null) Object.assign(element.dataset, { xMin: String(Math.round(x.min * 1000)), xMax: String(Math.round(x.max * 1000)) });
      if (y?.min != null && y.max != null) Object.assign(element.dataset, { yMin: String(y.min), yMax: String(y.max) });
    };

    const plot = new uPlot(
      {
        width: 440,
        height: 260,
        // Room on the right for the last time label, which sits at the axis' end.
        padding: [12, 28, 0, 0],
        scales: {
          x: { time: true, range: () => [xMin, xMax] },
          y: { range: () => [yMin, yMax] },
        },
        series: [{}, { label, stroke: '#0b5cad', width: 2, points: { show: true, size: 6 } }],
        axes: [
          { label: timeLabel, values: (_u, splits) => splits.map((s) => formatTick(s * 1000)), size: 50 },
          { label, values: (_u, splits) => splits.map(formatValue), size: 60 },
        ],
        legend: { show: false },
        hooks: { drawClear: [shadeBands], draw: [markBeyondRange, recordScales] },
      },
      [points.map((p) => p.at / 1000), points.map((p) => p.value)],
      element,
    );
    return () => plot.destroy();
  }, [label, timeLabel, points, timeRange, valueRange, bands, formatValue, formatTick]);
  return <div ref={host} className="trend" role="img" aria-label={summary} data-testid="trend-chart" />;
}
