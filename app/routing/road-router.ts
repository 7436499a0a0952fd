import type { OsmFacility } from '../facilities/osm-facility';
import type { FacilityCapability } from '../facilities/capabilities';
import { metresBetween, type LatLon } from './geo';
import type { RoadGraph } from './road-graph';
import type { Metric } from './road-network';
import { NearestVertex } from './nearest-vertex';
import { RouteSearch } from './route-search';

/**
 * Routing questions on a compiled graph, as the command line, the hub and
 * the map ask them: a route between two points, and the facilities nearest
 * by road. A point is taken to the road node nearest it; a point further than
 * `offNetworkM` from any road is off the network, and the answer says so
 * rather than inventing a road.
 */

/** A point further than this from every road node is off the network. */
export const offNetworkM = 2000;

export type RouteBy = 'distance' | 'time';
export type Season = 'dry' | 'rainy';

export type RouteAnswer =
  | { found: true; distanceM: number; durationS: number; path: LatLon[]; startSnapM: number; endSnapM: number }
  | { found: false; reason: 'no_route' | 'off_network'; straightLineM: number };

/** Anything with a position: the graph's facilities, the directory's entries. */
export interface Place {
  lat: number;
  lon: number;
}

export interface RankedByRoad<P extends Place = OsmFacility> {
  facility: P;
  distanceM: number;
  durationS: number;
}
export interface RankedByStraightLine<P extends Place = OsmFacility> {
  facility: P;
  distanceM: number;
}

/** Metres and seconds as the answers give them: to the decimetre and the tenth of a second. */
const tenth = (value: number) => Math.round(value * 10) / 10;

export class RoadRouter {
  private readonly searches = new Map<Metric, RouteSearch>();
  private readonly nearest: NearestVertex;
  /** Each place's road node, or -1 when it is off the network. */
  private readonly snapped = new WeakMap<Place, number>();
  /** Fastest dry-season speed in m/ms: no route is quicker than the straight line at it. */
  private readonly fastestMPerMs: number;

  constructor(readonly graph: RoadGraph) {
    this.nearest = new NearestVertex(graph.network);
    this.fastestMPerMs = Math.max(...Object.values(graph.speeds)) / 3600;
  }

  private search(metric: Metric): RouteSearch {
    let search = this.searches.get(metric);
    if (!search) {
      search = new RouteSearch(this.graph.network, this.graph.hierarchies[metric]);
      this.searches.set(metric, search);
    }
    return search;
  }

  private metricOf(by: RouteBy, season: Season): Metric {
    return by === 'distance' ? 'distance' : season;
  }

  /** The road node a point snaps to, and how far it is, or undefined when it is off the network. */
  snap(point: LatLon): { vertex: number; metres: number } | undefined {
    const vertex = this.nearest.find(point[0], point[1], offNetworkM);
    if (vertex === undefined) return undefined;
    const { lat, lon } = this.graph.network;
    return { vertex, metres: metresBetween(point[0], point[1], lat[vertex]!, lon[vertex]!) };
  }

  /** The route optimal in the chosen metric; its distance and its duration in the season are reported either way. */
  route(from: LatLon, to: LatLon, by: RouteBy, season: Season = 'dry'): RouteAnswer {
    const straightLineM = tenth(metresBetween(from[0], from[1], to[0], to[1]));
    const start = this.snap(from);
    const end = this.snap(to);
    if (!start || !end) return { found: false, reason: 'off_network', straightLineM };
    const found = this.search(this.metricOf(by, season)).route(start.vertex, end.vertex);
    if (!found) return { found: false, reason: 'no_route', straightLineM };
    const { network } = this.graph;
    let cm = 0;
    let ms = 0;
    const path: LatLon[] = [[network.lat[start.vertex]!, network.lon[start.vertex]!]];
    for (const arc of found.arcs) {
      cm += network.weight.distance[arc]!;
      ms += network.weight[season][arc]!;
      const head = network.arcHead[arc]!;
      path.push([network.lat[head]!, network.lon[head]!]);
    }
    return { found: true, distanceM: tenth(cm / 100), durationS: tenth(ms / 1000), path, startSnapM: tenth(start.metres), endSnapM: tenth(end.metres) };
  }

  /**
   * The `count` facilities (with `capability`, when given) nearest by road in
   * the chosen metric, and the `count` nearest in a straight line, among the
   * graph's own facilities (those found in its extract).
   */
  nearestFacilities(from: LatLon, options: { count: number; by: RouteBy; season?: Season; capability?: FacilityCapability }): { byRoad: RankedByRoad<OsmFacility>[]; byStraightLine: RankedByStraightLine<OsmFacility>[] } {
    const { capability, ...ranking } = options;
    return this.rank(from, capability === undefined ? this.graph.facilities : this.graph.facilities.filter((facility) => facility.capabilities.includes(capability)), ranking);
  }

  /**
   * The `count` places nearest `from` by road in the chosen metric, and the
   * `count` nearest in a straight line. Exact: a place's straight-line
   * distance bounds its road distance and time from below, so candidates are
   * tried in order of that bound and the search stops once the next bound
   * cannot beat the `count`-th route found. A place further than
   * `offNetworkM` from every road is ranked by straight line only.
   */
  rank<P extends Place>(from: LatLon, places: readonly P[], options: { count: number; by: RouteBy; season?: Season }): { byRoad: RankedByRoad<P>[]; byStraightLine: RankedByStraightLine<P>[] } {
    const { count, by, season = 'dry' } = options;
    const candidates = places.map((place) => ({ place, straightM: metresBetween(from[0], from[1], place.lat, place.lon) })).sort((a, b) => a.straightM - b.straightM);
    const byStraightLine = candidates.slice(0, count).map(({ place, straightM }) => ({ facility: place, distanceM: tenth(straightM) }));
    const start = this.snap(from);
    if (!start) return { byRoad: [], byStraightLine };
    const metric = this.metricOf(by, season);
    const { network } = this.graph;
    // Lower bounds in the metric's units (cm or ms), 1 % under so the arcs' rounding (to the cm and the ms) never breaks them.
    const bound = (vertex: number) => {
      const metres = metresBetween(network.lat[start.vertex]!, network.lon[start.vertex]!, network.lat[vertex]!, network.lon[vertex]!) * 0.99;
      return metric === 'distance' ? metres * 100 : metres / this.fastestMPerMs;
    };
    const reachable = candidates
      .map((candidate) => ({ ...candidate, vertex: this.vertexOf(candidate.place) }))
      .filter((candidate) => candidate.vertex >= 0)
      .map((candidate) => ({ ...candidate, bound: bound(candidate.vertex) }))
      .sort((a, b) => a.bound - b.bound);
    const found: { place: P; weight: number; cm: number; ms: number }[] = [];
    const search = this.search(metric);
    for (const candidate of reachable) {
      if (found.length >= count && candidate.bound >= found[count - 1]!.weight) break;
      const route = search.route(start.vertex, candidate.vertex);
      if (!route) continue;
      let cm = 0;
      let ms = 0;
      for (const arc of route.arcs) {
        cm += network.weight.distance[arc]!;
        ms += network.weight[season][arc]!;
      }
      found.push({ place: candidate.place, weight: route.weight, cm, ms });
      found.sort((a, b) => a.weight - b.weight);
    }
    const byRoad = found.slice(0, count).map(({ place, cm, ms }) => ({ facility: place, distanceM: tenth(cm / 100), durationS: tenth(ms / 1000) }));
    return { byRoad, byStraightLine };
  }

  /** A place's road node (-1 off the network), found once per place object. */
  private vertexOf(place: Place): number {
    let vertex = this.snapped.get(place);
    if (vertex === undefined) {
      vertex = this.nearest.find(place.lat, place.lon, offNetworkM) ?? -1;
      this.snapped.set(place, vertex);
    }
    return vertex;
  }
}
