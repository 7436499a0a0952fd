/**
 * k-anonymity by full-domain generalisation, as ARX does it: each
 * quasi-identifier climbs its own hierarchy (an age: 5-year band, 10-year
 * band, 20-year band, any), every combination of levels is a node of a
 * lattice, and the chosen node is the least generalised one in which the
 * patients left in groups smaller than k (who are then held back) stay
 * within the budget. Among equally generalised nodes, the one holding back
 * fewest wins. Nothing on npm does this; the lattice of our few
 * quasi-identifiers is small enough (tens of nodes) to search whole.
 */

/** A record's value of one quasi-identifier at every level of its hierarchy, most precise first; the last is `*`. */
export type Ladder = readonly string[];

export const anyValue = '*';

export interface KAnonymityInput {
  /** Per record, one ladder per quasi-identifier (same order, same length for one quasi-identifier). */
  records: readonly (readonly Ladder[])[];
  k: number;
  /** The most records that may be held back, as a fraction of all (0 to 1). */
  maxHeldBack: number;
}

export interface KAnonymityPlan {
  /** The level chosen for each quasi-identifier (0: as recorded). */
  levels: number[];
  /** Indices of the records held back. */
  heldBack: Set<number>;
  /** The smallest group among records released (undefined when none are). */
  kReached: number | undefined;
  /** How many groups the released records form. */
  groups: number;
}

function classesAt(records: KAnonymityInput['records'], levels: readonly number[]): Map<string, number[]> {
  const classes = new Map<string, number[]>();
  records.forEach((ladders, index) => {
    const key = ladders.map((ladder, q) => ladder[Math.min(levels[q]!, ladder.length - 1)]).join('\u0000');
    const members = classes.get(key);
    if (members) members.push(index);
    else classes.set(key, [index]);
  });
  return classes;
}

/** Every combination of levels, from all-precise up. */
function* lattice(heights: readonly number[]): Generator<number[]> {
  const levels = heights.map(() => 0);
  for (;;) {
    yield [...levels];
    let q = 0;
    while (q < levels.length && levels[q] === heights[q]) levels[q++] = 0;
    if (q === levels.length) return;
    levels[q]! += 1;
  }
}

export function kAnonymize({ records, k, maxHeldBack }: KAnonymityInput): KAnonymityPlan {
  const first = records[0];
  const heights = first === undefined ? [] : first.map((ladder) => ladder.length - 1);
  const budget = Math.floor(records.length * maxHeldBack);
  let best: { plan: KAnonymityPlan; loss: number } | undefined;
  for (const levels of lattice(heights)) {
    // Information lost: how far up each hierarchy, as a share of its height, summed.
    const loss = levels.reduce((sum, level, q) => sum + (heights[q] === 0 ? 0 : level / heights[q]!), 0);
    if (best !== undefined && loss > best.loss) continue;
    const classes = classesAt(records, levels);
    const heldBack = new Set<number>();
    let kReached: number | undefined;
    let groups = 0;
    for (const members of classes.values()) {
      if (members.length < k) for (const index of members) heldBack.add(index);
      else {
        groups += 1;
        kReached = Math.min(kReached ?? Infinity, members.length);
      }
    }
    const allowed = heldBack.size <= budget || levels.every((level, q) => level === heights[q]);
    if (!allowed) continue;
    if (best === undefined || loss < best.loss || heldBack.size < best.plan.heldBack.size) best = { plan: { levels, heldBack, kReached, groups }, loss };
  }
  return best?.plan ?? { levels: heights, heldBack: new Set(records.keys()), kReached: undefined, groups: 0 };
}
