import { describe, expect, it } from 'vitest';
import { createHlcClock, decodeHlc, encodeHlc } from './hlc';

describe('hybrid logical clock', () => {
  it('orders ticks by string comparison, even within one millisecond and when the wall clock goes back', () => {
    let wall = 1000;
    const clock = createHlcClock('ws1', () => wall);
    const a = clock.tick();
    const b = clock.tick();
    wall = 500; // the wall clock was set back
    const c = clock.tick();
    wall = 2000;
    const d = clock.tick();
    expect([a, b, c, d]).toEqual([...[a, b, c, d]].sort());
    expect(new Set([a, b, c, d]).size).toBe(4);
  });

  it('after observing a later remote stamp, ticks after it', () => {
    const clock = createHlcClock('ws1', () => 1000);
    const remote = encodeHlc({ wallMs: 5000, counter: 3, node: 'ws2' });
    clock.observe(remote);
    const next = clock.tick();
    expect(next > remote).toBe(true);
    expect(decodeHlc(next)).toMatchObject({ wallMs: 5000, node: 'ws1' });
  });

  it('rejects text that is not a clock value', () => {
    expect(() => decodeHlc('yesterday')).toThrow();
  });
});
