import { limits } from '../../app/contract/envelope';

/** A token bucket per connection: a flood from one client slows only that client. */
export function createRateLimiter(
  now: () => number = () => performance.now(),
  burst: number = limits.burst,
  perSecond: number = limits.perSecond,
): { tryTake(): boolean } {
  let tokens = burst;
  let last = now();
  return {
    tryTake() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
