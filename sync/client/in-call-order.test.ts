import { describe, expect, it } from 'vitest';
import { inCallOrder } from './in-call-order';

const later = <T>(value: T, ms: number, fail = false) => new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('calls settled in the order they were made', () => {
  it('settles a quick later call only after a slow earlier one, while both run at once', async () => {
    const started: number[] = [];
    const ordered = inCallOrder((n: number, ms: number) => {
      started.push(n);
      return later(n, ms);
    });
    const settled: number[] = [];
    const calls = [ordered(1, 60).then((n) => settled.push(n)), ordered(2, 5).then((n) => settled.push(n)), ordered(3, 30).then((n) => settled.push(n))];
    // Side by side: every call's work began before any settled.
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toEqual([]);
    await Promise.all(calls);
    expect(settled).toEqual([1, 2, 3]);
  });

  it('passes a failure on to its own caller only, and keeps the later calls going', async () => {
    const ordered = inCallOrder((n: number, fail: boolean) => later(n, 10, fail));
    const outcomes = await Promise.allSettled([ordered(1, false), ordered(2, true), ordered(3, false)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
