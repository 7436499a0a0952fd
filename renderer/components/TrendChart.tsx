import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One vital over time (uPlot: small, fast, and draws hundreds of points without strain). */
export function TrendChart({ label, unit, points }: { label: string; unit: string; points: { at: number; value: number }[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const plot = new uPlot(
      {
        width: 420,
        height: 160,
        title: `${label} (${unit})`,
        // A single reading gets an hour either side, so it sits in the middle rather than at an edge.
        scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - 3600, max + 3600] : [min, max]) } },
        series: [{}, { label, stroke: '#0b5cad', width: 2, points: { show: true, size: 6 } }],
        axes: [{}, { size: 50 }],
        legend: { show: false },
      },
      [points.map((p) => p.at / 1000), points.map((p) => p.value)],
      host.current,
    );
    return () => plot.destroy();
  }, [label, unit, points]);
  return <div ref={host} className="trend" role="img" aria-label={`${label}: ${points.map((p) => p.value).join(', ')} ${unit}`} data-testid="trend-chart" />;
}
