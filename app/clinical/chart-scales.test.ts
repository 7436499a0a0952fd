import { describe, expect, it } from 'vitest';
import { timeAxisRange, valueAxisRange } from './chart-scales';
import { scorePulse, scoreTemperature } from './news2';
import { news2Bands } from './news2-bands';

describe('value axis', () => {
  it('spans the clinical range of each vital, whatever the readings', () => {
    expect(valueAxisRange('spo2', [97])).toEqual([70, 100]);
    expect(valueAxisRange('bodyTemperature', [36.8, 37.0])).toEqual([34, 42]);
    expect(valueAxisRange('pulse', [72, 74])).toEqual([30, 180]);
    expect(valueAxisRange('respiratoryRate', [16])).toEqual([5, 40]);
    expect(valueAxisRange('systolic', [120])).toEqual([70, 220]);
    expect(valueAxisRange('diastolic', [80])).toEqual([40, 130]);
    expect(valueAxisRange('glucose', [104], 'mg/dL')).toEqual([20, 600]);
    expect(valueAxisRange('glucose', [5.8], 'mmol/L')).toEqual([1, 33]);
  });

  it('widens only on the side a value falls outside, with room for its point', () => {
    const [low, high] = valueAxisRange('pulse', [25, 80]);
    expect(low).toBeLessThan(25);
    expect(high).toBe(180);
    const [, top] = valueAxisRange('systolic', [250]);
    expect(top).toBeGreaterThan(250);
    expect(valueAxisRange('systolic', [250])[0]).toBe(70);
  });

  it('fits weight to the data, never shorter than 10 kg, so 0.3 kg does not look like a collapse', () => {
    const [low, high] = valueAxisRange('bodyWeight', [70.2, 69.9]);
    expect(high - low).toBeGreaterThanOrEqual(10);
    expect(low).toBeLessThanOrEqual(69.9);
    expect(high).toBeGreaterThanOrEqual(70.2);
    const [babyLow, babyHigh] = valueAxisRange('bodyWeight', [3.2, 3.4]);
    expect(babyLow).toBe(0);
    expect(babyHigh).toBeGreaterThanOrEqual(10);
    const [wideLow, wideHigh] = valueAxisRange('bodyWeight', [40, 80]);
    expect(wideLow).toBeLessThanOrEqual(40);
    expect(wideHigh).toBeGreaterThanOrEqual(80);
  });
});

describe('time axis', () => {
  const now = Date.parse('2026-05-12T12:00:00Z');

  it('spans exactly the readings, never into the future', () => {
    const first = now - 5 * 3_600_000;
    const last = now - 3_600_000;
    expect(timeAxisRange([last, first, now - 2 * 3_600_000], now)).toEqual([first, last]);
  });

  it('gives one reading the hour before it, ending at the reading', () => {
    const only = now - 60_000;
    expect(timeAxisRange([only], now)).toEqual([only - 3_600_000, only]);
  });
});

describe('NEWS2 bands', () => {
  it('agree with the score at every charted value', () => {
    const bands = news2Bands('pulse');
    for (let pulse = 20; pulse <= 200; pulse++) expect(bands.find((b) => pulse >= b.from && pulse < b.to)?.points, String(pulse)).toBe(scorePulse(pulse));
    const temperature = news2Bands('bodyTemperature');
    for (let tenth = 340; tenth <= 420; tenth++) {
      const value = tenth / 10;
      expect(temperature.find((b) => value >= b.from && value < b.to)?.points, String(value)).toBe(scoreTemperature(value));
    }
  });

  it('put boundaries halfway between charted values, and cover the whole axis', () => {
    expect(news2Bands('respiratoryRate')).toEqual([
      { from: Number.NEGATIVE_INFINITY, to: 8.5, points: 3 },
      { from: 8.5, to: 11.5, points: 1 },
      { from: 11.5, to: 20.5, points: 0 },
      { from: 20.5, to: 24.5, points: 2 },
      { from: 24.5, to: Number.POSITIVE_INFINITY, points: 3 },
    ]);
  });

  it('are none for vitals NEWS2 does not score', () => {
    expect(news2Bands('diastolic')).toEqual([]);
    expect(news2Bands('bodyWeight')).toEqual([]);
    expect(news2Bands('glucose')).toEqual([]);
  });
});
