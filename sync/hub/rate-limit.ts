/**
 * Counts failures (wrong credentials, wrong enrollment codes) per client
 * address and refuses further attempts from an address that failed too often
 * within the window. In memory on purpose: a restart forgets, which costs an
 * attacker a restart they cannot cause, and nothing is written per request.
 */
export interface FailureLimiter {
  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string): number;
  recordFailure(key: string): void;
}

export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at once; the oldest are dropped first, so a flood of addresses cannot exhaust memory. */
  maxKeys?: number;
  now?: () => number;
}

export function createFailureLimiter({ maxFailures, windowMs, maxKeys = 10_000, now = Date.now }: FailureLimiterOptions): FailureLimiter {
  // Map keeps insertion order, so the first key is the least recently failed one.
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const since = now() - windowMs;
    const times = (failures.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) failures.delete(key);
    else failures.set(key, times);
    return times;
  };

  return {
    retryAfterMs(key) {
      const times = recent(key);
      if (times.length < maxFailures) return 0;
      // Blocked until enough of the failures in the window have aged out.
      return Math.max(1, times[times.length - maxFailures]! + windowMs - now());
    },
    recordFailure(key) {
      const times = recent(key);
      times.push(now());
      failures.delete(key);
      failures.set(key, times.slice(-maxFailures));
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
  };
}
