import { describe, expect, it } from 'vitest';
import { paramsText } from './params-text';

const drafts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r-${i}`, value: 90 + (i % 10), note: i % 7 === 0 ? undefined : 'ok “quoted” \n line' }));

describe('the params text a call sends to the data worker', () => {
  it('writes small params at once', () => {
    const params = { patientId: 'p-1', limit: 10 };
    expect(paramsText(params)).toBe(JSON.stringify(params));
  });

  it('writes 10,000 readings a slice at a time, giving the screens’ thread turns between, as the same text JSON.stringify writes', async () => {
    const params = { drafts: drafts(10_000), skipped: undefined, flag: true, fn: () => 1 };
    const text = paramsText(params);
    expect(typeof text).not.toBe('string');
    let turns = 0;
    const counting = setInterval(() => turns++, 0);
    try {
      expect(await text).toBe(JSON.stringify(params));
    } finally {
      clearInterval(counting);
    }
    expect(turns).toBeGreaterThan(5);
    expect(JSON.parse(await text)).toEqual(JSON.parse(JSON.stringify(params)));
  });

  it('writes what JSON cannot hold in a list as null, as JSON.stringify does', async () => {
    const list = [...drafts(1500), undefined, () => 1];
    expect(await paramsText({ drafts: list })).toBe(JSON.stringify({ drafts: list }));
  });
});
