import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { seededRandom } from '../search/synthetic-patients';
import type { FacilityCapability } from '../facilities/capabilities';
import { metresBetween } from './geo';
import type { RoadGraph } from './road-graph';
import { RoadRouter } from './road-router';
import { RouteSearch } from './route-search';

/**
 * Route and ranking speed on a compiled graph (issue 16's benchmark): the
 * contraction-hierarchy query against ngraph.path's A* (what most JavaScript
 * projects would use) on the same network, the same metric and the same
 * pairs, in the same run; and the nearest capable facility by road. The
 * import itself is timed by the runner (tools/bench/routing-runner.benchmark.ts),
 * which reads files.
 */

export interface RouteTimings {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface RoutingFigures {
  metric: 'dry';
  hierarchy: RouteTimings;
  aStar: RouteTimings & { buildMs: number };
  /** Pairs where A* and the hierarchy disagreed on the route's weight (must be 0). */
  disagreements: number;
  unroutable: number;
  /** `any`: the nearest facility of any kind. */
  nearestFacility: RouteTimings & { facilities: number; capability: string };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const timings = (times: number[]): RouteTimings => {
  const sorted = [...times].sort((a, b) => a - b);
  return { queries: times.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1) ?? 0 };
};

export function measureRouting(graph: RoadGraph, { queries, aStarQueries, capability, seed = 1 }: { queries: number; aStarQueries: number; capability?: FacilityCapability; seed?: number }): RoutingFigures {
  const { network } = graph;
  const random = seededRandom(seed);
  const pairs = Array.from({ length: queries }, () => [Math.floor(random() * network.vertexCount), Math.floor(random() * network.vertexCount)] as const);

  const search = new RouteSearch(network, graph.hierarchies.dry);
  const weights: (number | undefined)[] = [];
  const chTimes: number[] = [];
  // A first pass warms the JIT; the second is measured.
  for (const [from, to] of pairs.slice(0, 50)) search.route(from, to);
  for (const [from, to] of pairs) {
    const started = performance.now();
    const route = search.route(from, to);
    chTimes.push(performance.now() - started);
    weights.push(route?.weight);
  }

  // ngraph.path's A* over the same arcs (the lightest of parallel ones), same weights, with the admissible straight-line bound.
  const buildStarted = performance.now();
  const lightest = new Map<number, number>();
  for (let a = 0; a < network.arcCount; a++) {
    const key = network.arcTail[a]! * network.vertexCount + network.arcHead[a]!;
    const known = lightest.get(key);
    if (known === undefined || network.weight.dry[a]! < network.weight.dry[known]!) lightest.set(key, a);
  }
  const ngraph = createGraph<{ lat: number; lon: number }, number>();
  for (let v = 0; v < network.vertexCount; v++) ngraph.addNode(v, { lat: network.lat[v]!, lon: network.lon[v]! });
  for (const a of lightest.values()) ngraph.addLink(network.arcTail[a]!, network.arcHead[a]!, network.weight.dry[a]);
  const fastestMPerMs = Math.max(...Object.values(graph.speeds)) / 3600;
  const finder = ngraphPath.aStar(ngraph, {
    oriented: true,
    distance: (_from, _to, link) => link.data,
    heuristic: (from, to) => (metresBetween(from.data.lat, from.data.lon, to.data.lat, to.data.lon) * 0.999) / fastestMPerMs,
  });
  const buildMs = performance.now() - buildStarted;
  const aStarTimes: number[] = [];
  let disagreements = 0;
  pairs.slice(0, aStarQueries).forEach(([from, to], i) => {
    const started = performance.now();
    const path = finder.find(from, to);
    aStarTimes.push(performance.now() - started);
    // The path comes end first; an empty one means no route (or from = to).
    let weight: number | undefined = path.length === 0 ? (from === to ? 0 : undefined) : 0;
    for (let k = path.length - 1; k > 0; k--) weight! += ngraph.getLink(path[k]!.id, path[k - 1]!.id)!.data;
    if (weight !== weights[i]) disagreements++;
  });

  // The nearest facility able to do what is asked, by road, from random road nodes.
  const router = new RoadRouter(graph);
  const nearestTimes: number[] = [];
  for (const [from] of pairs.slice(0, Math.min(500, queries))) {
    const point = [network.lat[from]!, network.lon[from]!] as const;
    const started = performance.now();
    router.nearestFacilities(point, { count: 1, by: 'time', ...(capability ? { capability } : {}) });
    nearestTimes.push(performance.now() - started);
  }

  return {
    metric: 'dry',
    hierarchy: timings(chTimes),
    aStar: { ...timings(aStarTimes), buildMs },
    disagreements,
    unroutable: weights.filter((weight) => weight === undefined).length,
    nearestFacility: { ...timings(nearestTimes), facilities: graph.facilities.filter((f) => capability === undefined || f.capabilities.includes(capability)).length, capability: capability ?? 'any' },
  };
}
