import { metresBetween } from './geo';
import { doubled } from './typed-arrays';
import { roadClasses, type RoadClass, type RoadSpeeds, rainySeasonFactor } from './road-classes';
import type { DrivableWay } from './osm-roads';

/**
 * The road network as a directed graph in typed arrays: a vertex per road
 * node (so a route can start at any node of a road, and its geometry is the
 * vertices it passes), an arc per direction a car may drive between two
 * consecutive nodes of a way. Weights are whole numbers (centimetres and
 * milliseconds): sums are then exact, so a route found through the hierarchy
 * and one found by a plain search weigh exactly the same.
 */

export const metrics = ['distance', 'dry', 'rainy'] as const;
/** Distance in cm; dry- and rainy-season time in ms. */
export type Metric = (typeof metrics)[number];

export interface RoadNetwork {
  vertexCount: number;
  /** Degrees, per vertex. */
  lat: Float64Array;
  lon: Float64Array;
  arcCount: number;
  arcTail: Uint32Array;
  arcHead: Uint32Array;
  /** Per arc, in each metric. */
  weight: Record<Metric, Uint32Array>;
  /** Per arc: index into `roadClasses`. */
  arcClass: Uint8Array;
}

/** A way as the import gives it: its nodes in order and how a car drives it. */
export interface NetworkWay {
  nodes: readonly number[];
  drivable: DrivableWay;
}

export interface NetworkCounts {
  vertices: number;
  arcs: number;
  waysByClass: Partial<Record<RoadClass, number>>;
  /** Way segments left out because a node lies outside the extract. */
  segmentsWithoutNodes: number;
}

/** Growable typed storage for the arcs while the network is built. */
class ArcBuffer {
  tail = new Uint32Array(1024);
  head = new Uint32Array(1024);
  distance = new Uint32Array(1024);
  dry = new Uint32Array(1024);
  rainy = new Uint32Array(1024);
  roadClass = new Uint8Array(1024);
  count = 0;

  push(tail: number, head: number, distance: number, dry: number, rainy: number, roadClass: number): void {
    if (this.count === this.tail.length) this.grow();
    const i = this.count++;
    this.tail[i] = tail;
    this.head[i] = head;
    this.distance[i] = distance;
    this.dry[i] = dry;
    this.rainy[i] = rainy;
    this.roadClass[i] = roadClass;
  }

  private grow(): void {
    this.tail = doubled(this.tail);
    this.head = doubled(this.head);
    this.distance = doubled(this.distance);
    this.dry = doubled(this.dry);
    this.rainy = doubled(this.rainy);
    this.roadClass = doubled(this.roadClass);
  }
}

/** Milliseconds to cover `metres` at `kmh`, at least 1 so no arc is free. */
const travelMs = (metres: number, kmh: number): number => Math.max(1, Math.round((metres / (kmh / 3.6)) * 1000));

/**
 * Builds the network from the drivable ways; `coordinate` gives a node's
 * position, or undefined for a node the extract does not hold (the way's
 * segments touching it are left out, as extracts cut ways at their border).
 */
export function buildRoadNetwork(ways: Iterable<NetworkWay>, coordinate: (node: number) => readonly [number, number] | undefined, speeds: RoadSpeeds): { network: RoadNetwork; counts: NetworkCounts } {
  const vertexOf = new Map<number, number>();
  const lat: number[] = [];
  const lon: number[] = [];
  const arcs = new ArcBuffer();
  const waysByClass: Partial<Record<RoadClass, number>> = {};
  let segmentsWithoutNodes = 0;
  const vertex = (node: number): number | undefined => {
    const known = vertexOf.get(node);
    if (known !== undefined) return known;
    const at = coordinate(node);
    if (at === undefined) return undefined;
    vertexOf.set(node, lat.length);
    lat.push(at[0]);
    lon.push(at[1]);
    return lat.length - 1;
  };
  for (const { nodes, drivable } of ways) {
    waysByClass[drivable.roadClass] = (waysByClass[drivable.roadClass] ?? 0) + 1;
    const kmh = speeds[drivable.roadClass];
    const rainyKmh = drivable.slowInRain ? kmh * rainySeasonFactor : kmh;
    const classIndex = roadClasses.indexOf(drivable.roadClass);
    for (let i = 1; i < nodes.length; i++) {
      const from = vertex(nodes[i - 1]!);
      const to = vertex(nodes[i]!);
      if (from === undefined || to === undefined) {
        segmentsWithoutNodes++;
        continue;
      }
      if (from === to) continue;
      const metres = metresBetween(lat[from]!, lon[from]!, lat[to]!, lon[to]!);
      const cm = Math.max(1, Math.round(metres * 100));
      const dry = travelMs(metres, kmh);
      const rainy = travelMs(metres, rainyKmh);
      if (drivable.travel !== 'backward') arcs.push(from, to, cm, dry, rainy, classIndex);
      if (drivable.travel !== 'forward') arcs.push(to, from, cm, dry, rainy, classIndex);
    }
  }
  const n = arcs.count;
  const network: RoadNetwork = {
    vertexCount: lat.length,
    lat: Float64Array.from(lat),
    lon: Float64Array.from(lon),
    arcCount: n,
    arcTail: arcs.tail.slice(0, n),
    arcHead: arcs.head.slice(0, n),
    weight: { distance: arcs.distance.slice(0, n), dry: arcs.dry.slice(0, n), rainy: arcs.rainy.slice(0, n) },
    arcClass: arcs.roadClass.slice(0, n),
  };
  return { network, counts: { vertices: network.vertexCount, arcs: n, waysByClass, segmentsWithoutNodes } };
}
