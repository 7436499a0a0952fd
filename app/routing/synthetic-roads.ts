import { seededRandom } from '../search/synthetic-patients';
import type { RoadClass } from './road-classes';
import type { NetworkWay } from './road-network';

/**
 * A seeded road-like network for benchmarks and tests, at any size: towns of
 * very different sizes (a few large, many small) scattered over a region,
 * each a jittered street grid with main streets and some one-way streets,
 * joined by winding roads whose class follows the towns they join (trunk
 * roads between the largest, then primary, secondary, tertiary, and unpaved
 * unclassified tracks to small places). Real networks have this hierarchy,
 * which is what contraction exploits; a plain grid has none and is a worst
 * case no real region looks like.
 */

export interface SyntheticRoads {
  ways: NetworkWay[];
  /** Each node's [lat, lon], by node id (ids are 0..n-1). */
  coordinates: [number, number][];
  /** Town centres, as node ids: places to put facilities. */
  centres: number[];
}

const kmPerDegree = 111.2;

export function syntheticRoads({ seed, arcs: targetArcs }: { seed: number; arcs: number }): SyntheticRoads {
  const random = seededRandom(seed);
  const origin = { lat: 11.5, lon: 20.5 };
  const coordinates: [number, number][] = [];
  const ways: NetworkWay[] = [];
  const node = (xKm: number, yKm: number): number => {
    coordinates.push([origin.lat + yKm / kmPerDegree, origin.lon + xKm / (kmPerDegree * Math.cos((origin.lat * Math.PI) / 180))]);
    return coordinates.length - 1;
  };
  const way = (nodes: number[], roadClass: RoadClass, oneway = false, slowInRain = false) => ways.push({ nodes, drivable: { roadClass, travel: oneway ? 'forward' : 'both', slowInRain } });
  let arcCount = 0;
  const counted = (segments: number, oneway: boolean) => (arcCount += oneway ? segments : 2 * segments);

  // The region grows with the network so town density stays road-like.
  const side = Math.sqrt(targetArcs) * 0.9;
  const towns: { x: number; y: number; k: number; centre: number }[] = [];
  // Towns take about three quarters of the arcs; the roads between them the rest.
  while (arcCount < targetArcs * 0.75) {
    const k = Math.floor(3 + 45 * random() ** 4);
    const x = random() * side;
    const y = random() * side;
    const spacing = 0.12 + random() * 0.08;
    const grid: number[][] = [];
    for (let i = 0; i < k; i++) {
      grid.push([]);
      for (let j = 0; j < k; j++) grid[i]!.push(node(x + (i - k / 2 + (random() - 0.5) * 0.6) * spacing, y + (j - k / 2 + (random() - 0.5) * 0.6) * spacing));
    }
    const mid = Math.floor(k / 2);
    const unpaved = k < 8 && random() < 0.5;
    for (let i = 0; i < k; i++) {
      const main = i === mid;
      const roadClass: RoadClass = main ? 'tertiary' : 'residential';
      const oneway = !main && k > 10 && random() < 0.15;
      const row = grid[i]!;
      const column = grid.map((line) => line[i]!);
      // Alternate one-way directions, as real one-way grids do.
      way(oneway && i % 2 === 0 ? row.slice().reverse() : row, roadClass, oneway, unpaved);
      way(column, roadClass, false, unpaved);
      counted(k - 1, oneway);
      counted(k - 1, false);
    }
    towns.push({ x, y, k, centre: grid[mid]![mid]! });
  }

  // Roads between towns: each town to its three nearest, the class set by the smaller town.
  const joined = new Set<string>();
  const classFor = (k: number): RoadClass => (k >= 30 ? 'trunk' : k >= 20 ? 'primary' : k >= 12 ? 'secondary' : k >= 7 ? 'tertiary' : 'unclassified');
  const road = (a: (typeof towns)[number], b: (typeof towns)[number], roadClass: RoadClass) => {
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const steps = Math.max(2, Math.round(length / 0.4));
    const nodes = [a.centre];
    let drift = 0;
    for (let s = 1; s < steps; s++) {
      const t = s / steps;
      drift += (random() - 0.5) * 0.3;
      drift *= 0.9;
      const nx = -(b.y - a.y) / length;
      const ny = (b.x - a.x) / length;
      nodes.push(node(a.x + (b.x - a.x) * t + nx * drift * length * 0.05, a.y + (b.y - a.y) * t + ny * drift * length * 0.05));
    }
    nodes.push(b.centre);
    way(nodes, roadClass, false, roadClass === 'unclassified');
    counted(nodes.length - 1, false);
  };
  const bySize = towns.map((_, i) => i);
  for (let i = 0; i < towns.length; i++) {
    const town = towns[i]!;
    const nearest = bySize
      .filter((j) => j !== i)
      .map((j) => ({ j, d: Math.hypot(towns[j]!.x - town.x, towns[j]!.y - town.y) }))
      .sort((p, q) => p.d - q.d)
      .slice(0, 3);
    // And to the nearest town placed before it, so the region is one piece.
    const earlier = bySize.slice(0, i).sort((p, q) => Math.hypot(towns[p]!.x - town.x, towns[p]!.y - town.y) - Math.hypot(towns[q]!.x - town.x, towns[q]!.y - town.y))[0];
    if (earlier !== undefined) nearest.push({ j: earlier, d: 0 });
    for (const { j } of nearest) {
      const key = i < j ? `${i}-${j}` : `${j}-${i}`;
      if (joined.has(key)) continue;
      joined.add(key);
      road(town, towns[j]!, classFor(Math.min(town.k, towns[j]!.k)));
    }
  }
  return { ways, coordinates, centres: towns.map((town) => town.centre) };
}
