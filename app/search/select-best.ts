/**
 * The `limit` smallest items by `compare`, in order, without sorting them
 * all: a common name matches thousands of patients, and the desk shows 20.
 */
export function selectBest<T>(items: Iterable<T>, limit: number, compare: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (limit < 1) return best;
  for (const item of items) {
    const worst = best[limit - 1];
    if (worst !== undefined) {
      if (compare(item, worst) >= 0) continue;
      best.pop();
    }
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const probe = best[middle];
      if (probe !== undefined && compare(probe, item) <= 0) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, item);
  }
  return best;
}
