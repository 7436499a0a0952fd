import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestAtMostEvery } from './latest-at-most-every';

describe('passing on a stream of states a few times a second', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('passes the first at once, then the newest once per interval, and always the last', () => {
    const passed: number[] = [];
    const send = latestAtMostEvery(250, (n: number) => passed.push(n));
    for (let n = 1; n <= 1000; n++) send(n);
    expect(passed).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(passed).toEqual([1, 1000]);
    vi.advanceTimersByTime(1000);
    expect(passed).toEqual([1, 1000]);
    send(1001);
    expect(passed).toEqual([1, 1000, 1001]);
  });

  it('passes nothing more once cancelled', () => {
    const passed: number[] = [];
    const send = latestAtMostEvery(250, (n: number) => passed.push(n));
    send(1);
    send(2);
    send.cancel();
    vi.advanceTimersByTime(1000);
    expect(passed).toEqual([1]);
  });
});
