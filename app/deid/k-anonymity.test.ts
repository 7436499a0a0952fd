import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageBand, ageLadder, districtLadder, sexLadder } from './hierarchies';
import { kAnonymize, type Ladder } from './k-anonymity';

/** Group sizes of the released records at the plan's levels, counted afresh. */
function groupSizes(records: readonly (readonly Ladder[])[], levels: readonly number[], heldBack: ReadonlySet<number>): number[] {
  const sizes = new Map<string, number>();
  records.forEach((ladders, index) => {
    if (heldBack.has(index)) return;
    const key = JSON.stringify(ladders.map((ladder, q) => ladder[levels[q]!]));
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  });
  return [...sizes.values()];
}

const patient = fc.record({ age: fc.option(fc.integer({ min: 0, max: 104 }), { nil: undefined }), sex: fc.constantFrom('female', 'male', undefined), district: fc.constantFrom('Arumeru', 'Meru', 'Karatu', 'Monduli', undefined), state: fc.constantFrom('Arusha', 'Kilimanjaro') });
const ladders = (p: { age: number | undefined; sex: string | undefined; district: string | undefined; state: string }) => [ageLadder(p.age), sexLadder(p.sex), districtLadder(p.state, p.district)];

describe('k-anonymity over age band, sex and district', () => {
  it('bands ages in 5, 10 and 20 years, with 90 and over as one band', () => {
    expect(ageBand(37, 5)).toBe('35-39');
    expect(ageBand(37, 10)).toBe('30-39');
    expect(ageBand(89, 20)).toBe('80-89');
    expect(ageBand(93, 5)).toBe('90+');
    expect(ageLadder(37)).toEqual(['35-39', '30-39', '20-39', '*']);
  });

  it('releases only groups of k or more, holds back within the budget, and reports the smallest group', () => {
    fc.assert(
      fc.property(fc.array(patient, { minLength: 0, maxLength: 200 }), fc.integer({ min: 2, max: 10 }), (patients, k) => {
        const records = patients.map(ladders);
        const plan = kAnonymize({ records, k, maxHeldBack: 0.05 });
        const sizes = groupSizes(records, plan.levels, plan.heldBack);
        const top = plan.levels.every((level, q) => level === records[0]![q]!.length - 1);
        return (
          sizes.every((size) => size >= k) &&
          (plan.heldBack.size <= Math.floor(records.length * 0.05) || top || records.length === 0) &&
          plan.groups === sizes.length &&
          (sizes.length === 0 ? plan.kReached === undefined : plan.kReached === Math.min(...sizes))
        );
      }),
    );
  });

  it('generalises no further than it must: when every group already has k, nothing moves', () => {
    const records = Array.from({ length: 20 }, (_, i) => ladders({ age: i % 2 === 0 ? 31 : 52, sex: 'female', district: 'Meru', state: 'Arusha' }));
    expect(kAnonymize({ records, k: 5, maxHeldBack: 0 }).levels).toEqual([0, 0, 0]);
  });

  it('widens the age band before dropping the district, when that is the smaller loss', () => {
    // Five in each 5-year band, fewer than k = 6; all ten in the 10-year band.
    const records = [30, 31, 30, 31, 32, 35, 36, 37, 38, 39].map((age) => ladders({ age, sex: 'male', district: 'Karatu', state: 'Arusha' }));
    const plan = kAnonymize({ records, k: 6, maxHeldBack: 0 });
    expect(plan.levels).toEqual([1, 0, 0]);
    expect(plan.heldBack.size).toBe(0);
  });

  it('holds back everyone when there are fewer than k in all', () => {
    const records = [ladders({ age: 40, sex: 'female', district: 'Meru', state: 'Arusha' }), ladders({ age: 70, sex: 'male', district: 'Karatu', state: 'Arusha' })];
    const plan = kAnonymize({ records, k: 5, maxHeldBack: 0.05 });
    expect(plan.heldBack.size).toBe(2);
    expect(plan.kReached).toBeUndefined();
  });
});
