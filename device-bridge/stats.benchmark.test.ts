import { describe, expect, it } from 'vitest';
import { createSequenceChecker, distribution, percentile } from './stats.benchmark';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('sorts before it ranks', () => {
    expect(distribution([3, 1, 2])).toEqual({ count: 3, p50: 2, p95: 3, max: 3, min: 1 });
  });
});

describe('createSequenceChecker', () => {
  const run = (values: number[]) => {
    const checker = createSequenceChecker(128);
    values.forEach((v) => checker.push(v));
    return checker.result();
  };

  it('accepts an unbroken sequence across the wrap', () => {
    expect(run(Array.from({ length: 300 }, (_, n) => n % 128))).toEqual({ seen: 300, gaps: 0, missing: 0, repeats: 0 });
  });

  it('counts what a gap skipped, across the wrap too', () => {
    expect(run([0, 1, 2, 5, 6])).toMatchObject({ gaps: 1, missing: 2 });
    expect(run([...Array.from({ length: 126 }, (_, n) => n), 1, 2])).toMatchObject({ gaps: 1, missing: 3 });
  });

  it('tells a repeat from a loss', () => {
    expect(run([0, 1, 1, 2])).toMatchObject({ gaps: 0, missing: 0, repeats: 1 });
  });
});
