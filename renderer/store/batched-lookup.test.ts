import { describe, expect, it } from 'vitest';
import { batchedLookup } from './batched-lookup';

describe('lookups by id asked together', () => {
  it('reads a pulled batch’s 1,000 local versions in one read, each caller getting its own', async () => {
    const reads: (readonly string[])[] = [];
    const stored = new Map(Array.from({ length: 500 }, (_, i) => [`rec-${i * 2}`, { id: `rec-${i * 2}` }]));
    const lookup = batchedLookup((ids) => {
      reads.push(ids);
      return Promise.resolve(new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : []))));
    });
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => lookup(`rec-${i}`)));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toHaveLength(1000);
    expect(answers.filter(Boolean)).toHaveLength(500);
    expect(answers[4]).toEqual({ id: 'rec-4' });
    expect(answers[5]).toBeUndefined();
    // The next turn's lookups are a read of their own.
    await lookup('rec-2');
    expect(reads).toHaveLength(2);
  });

  it('fails every lookup of a batch whose read failed, and reads again for the next', async () => {
    let fail = true;
    const lookup = batchedLookup((ids) => (fail ? Promise.reject(new Error('database closed')) : Promise.resolve(new Map(ids.map((id) => [id, id])))));
    const results = await Promise.allSettled([lookup('a'), lookup('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup('a')).toBe('a');
  });
});
