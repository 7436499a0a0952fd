import { describe, expect, it } from 'vitest';
import { seededRandom } from '../search/synthetic-patients';
import { contract } from './contraction';
import { defaultSpeedsKmh } from './road-classes';
import { buildRoadNetwork, metrics, type Metric, type NetworkWay, type RoadNetwork } from './road-network';
import { RouteSearch } from './route-search';
import { syntheticRoads } from './synthetic-roads';

/** A plain Dijkstra over the network's own arcs, written here without the hierarchy's code (and with its own heap): what every hierarchy route must equal. */
function dijkstra(network: RoadNetwork, metric: Metric, from: number, to: number): number | undefined {
  const out: number[][] = Array.from({ length: network.vertexCount }, () => []);
  for (let a = 0; a < network.arcCount; a++) out[network.arcTail[a]!]!.push(a);
  const dist = new Map<number, number>([[from, 0]]);
  const done = new Set<number>();
  const heap: [number, number][] = [];
  const push = (entry: [number, number]) => {
    heap.push(entry);
    for (let i = heap.length - 1; i > 0 && heap[(i - 1) >> 1]![0] > heap[i]![0]; i = (i - 1) >> 1) [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1]!, heap[i]!];
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        let least = i;
        for (const c of [2 * i + 1, 2 * i + 2]) if (c < heap.length && heap[c]![0] < heap[least]![0]) least = c;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
    return top;
  };
  push([0, from]);
  while (heap.length > 0) {
    const [d, u] = pop();
    if (done.has(u)) continue;
    if (u === to) return d;
    done.add(u);
    for (const a of out[u]!) {
      const v = network.arcHead[a]!;
      const nd = d + network.weight[metric][a]!;
      if (nd < (dist.get(v) ?? Infinity)) {
        dist.set(v, nd);
        push([nd, v]);
      }
    }
  }
  return undefined;
}

/** The route is a drivable chain of arcs from `from` to `to` weighing what the search said. */
function expectDrivable(network: RoadNetwork, metric: Metric, from: number, to: number, route: { weight: number; arcs: number[] }) {
  let at = from;
  let weight = 0;
  for (const arc of route.arcs) {
    expect(network.arcTail[arc]).toBe(at);
    at = network.arcHead[arc]!;
    weight += network.weight[metric][arc]!;
  }
  expect(at).toBe(to);
  expect(weight).toBe(route.weight);
}

const network = (ways: NetworkWay[], points: [number, number][]) => buildRoadNetwork(ways, (node) => points[node], defaultSpeedsKmh).network;
const road = (nodes: number[], travel: 'both' | 'forward' = 'both'): NetworkWay => ({ nodes, drivable: { roadClass: 'residential', travel, slowInRain: false } });

describe('routes through the contraction hierarchy', { timeout: 120_000 }, () => {
  it('equal a plain Dijkstra’s on a road-like network, in every metric, for random pairs', () => {
    const synthetic = syntheticRoads({ seed: 7, arcs: 12_000 });
    const { network: roads } = buildRoadNetwork(synthetic.ways, (node) => synthetic.coordinates[node], defaultSpeedsKmh);
    const random = seededRandom(11);
    for (const metric of metrics) {
      const search = new RouteSearch(roads, contract(roads, metric));
      for (let q = 0; q < 150; q++) {
        const from = Math.floor(random() * roads.vertexCount);
        const to = Math.floor(random() * roads.vertexCount);
        const expected = dijkstra(roads, metric, from, to);
        const route = search.route(from, to);
        expect(route?.weight, `${metric} ${from}→${to}`).toBe(expected);
        if (route) expectDrivable(roads, metric, from, to, route);
      }
    }
  });

  it('follow one-way streets only their way round, and find none against them', () => {
    // A one-way loop 0→1→2→3→0: from 1 back to 0 is the long way round.
    const points: [number, number][] = [[0, 0], [0, 0.001], [0.001, 0.001], [0.001, 0]];
    const roads = network([road([0, 1, 2, 3, 0], 'forward')], points);
    const search = new RouteSearch(roads, contract(roads, 'distance'));
    const back = search.route(1, 0)!;
    expect(back.arcs.map((arc) => roads.arcHead[arc])).toEqual([2, 3, 0]);
    const oneStreet = network([road([0, 1], 'forward')], points);
    expect(new RouteSearch(oneStreet, contract(oneStreet, 'dry')).route(1, 0)).toBeUndefined();
  });

  it('say there is none between roads that do not meet', () => {
    const points: [number, number][] = [[0, 0], [0, 0.01], [1, 1], [1, 1.01]];
    const roads = network([road([0, 1]), road([2, 3])], points);
    const search = new RouteSearch(roads, contract(roads, 'dry'));
    expect(search.route(0, 3)).toBeUndefined();
    expect(search.route(2, 3)?.arcs).toHaveLength(1);
    expect(search.route(2, 2)).toEqual({ weight: 0, arcs: [] });
  });
});
