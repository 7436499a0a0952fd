import { describe, expect, it } from 'vitest';
import { decideOrigin, parseAllowedOrigin, preflightHeaders } from './cors';
import { createFailureLimiter } from './rate-limit';

describe('failure limiter', () => {
  it('lets an address fail up to the limit, then makes it wait until the window passes', () => {
    let clock = 0;
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 1000, now: () => clock });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0);
      limiter.recordFailure('a');
      clock += 100;
    }
    expect(limiter.retryAfterMs('a')).toBe(700); // the first failure (t=0) ages out at t=1000
    expect(limiter.retryAfterMs('b')).toBe(0);
    clock = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('forgets the oldest addresses first when flooded', () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.retryAfterMs('10.0.3.231')).toBeGreaterThan(0); // among the last 100
    expect(limiter.retryAfterMs('10.0.0.0')).toBe(0);
  });
});

describe('CORS policy', () => {
  it('takes exact origins only', () => {
    expect(parseAllowedOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(parseAllowedOrigin('APP://Clinic')).toBe('app://clinic');
    for (const bad of ['*', 'null', 'http://127.0.0.1:8080/', 'http://*.example', '127.0.0.1:8080', 'http://a.example/path']) {
      expect(() => parseAllowedOrigin(bad)).toThrow(/not a web origin/);
    }
  });

  it('decides by exact match, and answers preflights only for allowed methods and headers', () => {
    const allowed = new Set(['app://clinic']);
    expect(decideOrigin(undefined, allowed)).toEqual({ kind: 'no-origin' });
    expect(decideOrigin('app://clinic', allowed)).toEqual({ kind: 'allowed', origin: 'app://clinic' });
    expect(decideOrigin('app://clinic.evil', allowed)).toEqual({ kind: 'refused' });
    expect(preflightHeaders('app://clinic', 'POST', 'Authorization, Content-Type')).toMatchObject({ 'Access-Control-Allow-Origin': 'app://clinic' });
    expect(preflightHeaders('app://clinic', 'PATCH', undefined)).toBeUndefined();
    expect(preflightHeaders('app://clinic', 'GET', 'authorization, x-forwarded-for')).toBeUndefined();
  });
});
