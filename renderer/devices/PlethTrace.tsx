import { useEffect, useRef } from 'react';

/**
 * The oximeter's pleth waveform, drawn on a canvas each animation frame:
 * cheaper than re-rendering SVG at 60 samples a second, and enough for a
 * nurse to see that the probe reads a pulse.
 */
export function PlethTrace({ samples, label }: { samples: number[]; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const latest = useRef(samples);
  useEffect(() => {
    latest.current = samples;
  }, [samples]);

  useEffect(() => {
    let frame = 0;
    const draw = () => {
      const element = canvas.current;
      const context = element?.getContext('2d');
      if (element && context) {
        const { width, height } = element;
        context.clearRect(0, 0, width, height);
        context.strokeStyle = '#0b5cad';
        context.lineWidth = 2;
        context.beginPath();
        const data = latest.current;
        data.forEach((sample, i) => {
          const x = (i / Math.max(1, data.length - 1)) * width;
          const y = height - (sample / 127) * (height - 4) - 2;
          if (i === 0) context.moveTo(x, y);
          else context.lineTo(x, y);
        });
        context.stroke();
      }
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, []);

  return <canvas ref={canvas} width={640} height={120} className="pleth" role="img" aria-label={label} data-testid="pleth-trace" data-samples={samples.length} />;
}
