import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasObjectWiderThan } from './json-width';

const widest = (value: unknown): number => {
  if (Array.isArray(value)) return Math.max(0, ...value.map(widest));
  if (typeof value === 'object' && value !== null) return Math.max(Object.keys(value).length, ...Object.values(value).map(widest));
  return 0;
};

describe('hasObjectWiderThan', () => {
  it('counts the members of the widest object, at any depth, never counting colons, braces or quotes inside strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 8 }), (value, max) => {
        expect(hasObjectWiderThan(JSON.stringify(value), max)).toBe(widest(value) > max);
      }),
      { numRuns: 500 },
    );
    expect(hasObjectWiderThan('{"a:b{":"\\"c:d\\"","e":[1,{"f":2}]}', 2)).toBe(false);
    expect(hasObjectWiderThan('{"a":1,"b":2,"c":3}', 2)).toBe(true);
  });
});
