/** Small, pure helpers the device-bridge benchmarks share (tested in stats.test.ts). */

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p % of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
  };
}

export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/**
 * Follows a stream of counters that wrap at `modulo` (the bench writes
 * sequence number mod 128 into each CMS50D+ pleth byte) and counts what a
 * receiver can tell from them alone: how many values were skipped (a jump
 * forward of k means k - 1 missing), and how many arrived out of order or
 * twice (a jump of 0, which a wrap cannot explain). A loss of an exact
 * multiple of `modulo` is invisible here; compare totals for that.
 */
export function createSequenceChecker(modulo: number, first = 0) {
  let expected = first % modulo;
  let gaps = 0;
  let missing = 0;
  let repeats = 0;
  let seen = 0;
  return {
    push(value: number): void {
      seen += 1;
      const jump = (((value - expected) % modulo) + modulo) % modulo;
      if (jump === modulo - 1) repeats += 1;
      else if (jump > 0) {
        gaps += 1;
        missing += jump;
      }
      if (jump !== modulo - 1) expected = (value + 1) % modulo;
    },
    result: () => ({ seen, gaps, missing, repeats }),
  };
}

/** Milliseconds on the system's monotonic clock, the same clock in every process on the machine (CLOCK_MONOTONIC on Linux). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
