import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../app/contract/errors';
import { maxRoutePoints, type RegionStatus, type RouteAnswerResult } from '../../app/contract/region';
import type { LatLon } from '../../app/routing/geo';
import { metresBetween } from '../../app/routing/geo';
import { decodeRoadGraph, GraphFileError } from '../../app/routing/graph-file';
import { RoadRouter, type RouteBy, type Season } from '../../app/routing/road-router';
import { basemapFeatures, type BasemapFeature } from '../../app/routing/basemap';
import type { Logger } from '../../app/log/logger';
import type { HubLinkService } from '../hub/hub-link';

/**
 * This workstation's copy of its region's road graph: fetched from the hub
 * (at start, every few hours, and when asked), kept in the data folder so
 * routing works with no network at all, and loaded once for the map's and
 * the referral's questions. A graph that fails its checks is never swapped
 * in: the one already here stays in use.
 */

export interface RegionService {
  status(): Promise<RegionStatus>;
  refresh(): Promise<RegionStatus>;
  route(params: { from: LatLon; to: LatLon; by: RouteBy; season: Season }): Promise<RouteAnswerResult>;
  rank(params: { from: LatLon; places: readonly { id: string; lat: number; lon: number }[]; count: number; by: RouteBy; season: Season }): Promise<{
    byRoad: { id: string; distanceM: number; durationS: number }[];
    byStraightLine: { id: string; distanceM: number }[];
    byRoadMissing?: 'no_graph' | 'off_network';
  }>;
  basemap(params: { offset: number; limit: number }): Promise<{ total: number; features: BasemapFeature[]; bounds?: [number, number, number, number] }>;
  close(): void;
}

interface Saved {
  etag?: string;
  fetchedAt: string;
}

/** How often a running workstation asks the hub for a newer graph. */
const refreshEveryMs = 6 * 3600_000;

/** At most `max` points of a line, evenly chosen, both ends kept. */
function thinned(path: readonly LatLon[], max: number): [number, number][] {
  const step = path.length <= max ? 1 : (path.length - 1) / (max - 1);
  return Array.from({ length: Math.min(max, path.length) }, (_, i) => {
    const [lat, lon] = path[Math.round(i * step)]!;
    return [lat, lon];
  });
}

export function createRegionService({ dir, hub, log }: { dir: string; hub: Pick<HubLinkService, 'regionGraph' | 'status'>; log: Logger }): RegionService {
  const graphFile = join(dir, 'region.graph');
  const savedFile = join(dir, 'region.json');
  let loaded: { router: RoadRouter; saved: Saved } | null | undefined;
  /** The loaded graph's basemap features and extent, made on first request. */
  let drawn: { router: RoadRouter; features: BasemapFeature[]; bounds: [number, number, number, number] } | undefined;
  let problem: string | undefined;

  async function load(): Promise<{ router: RoadRouter; saved: Saved } | null> {
    if (loaded !== undefined) return loaded;
    try {
      const [bytes, saved] = await Promise.all([readFile(graphFile), readFile(savedFile, 'utf8')]);
      loaded = { router: new RoadRouter(decodeRoadGraph(new Uint8Array(bytes))), saved: JSON.parse(saved) as Saved };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        problem = error instanceof GraphFileError ? error.message : 'The road graph on this workstation could not be read; it is fetched again from the hub.';
        log.warn('region_graph_unreadable', {});
      }
      loaded = null;
    }
    return loaded;
  }

  async function status(): Promise<RegionStatus> {
    const current = await load();
    if (!current) return { available: false, ...(problem ? { problem } : {}) };
    const { network } = current.router.graph;
    return { available: true, vertices: network.vertexCount, arcs: network.arcCount, fetchedAt: current.saved.fetchedAt, ...(problem ? { problem } : {}) };
  }

  async function refresh(): Promise<RegionStatus> {
    if (!(await hub.status()).linked) return status();
    const current = await load();
    try {
      const answer = await hub.regionGraph(current?.saved.etag);
      if (answer.kind === 'none') problem = answer.reason;
      if (answer.kind === 'graph') {
        // Checked before it replaces anything: a damaged download leaves the graph in use as it was.
        const router = new RoadRouter(decodeRoadGraph(answer.bytes));
        const saved: Saved = { ...(answer.etag ? { etag: answer.etag } : {}), fetchedAt: new Date().toISOString() };
        await mkdir(dir, { recursive: true });
        await writeFile(`${graphFile}.partial`, answer.bytes);
        await rename(`${graphFile}.partial`, graphFile);
        await writeFile(savedFile, JSON.stringify(saved));
        loaded = { router, saved };
        problem = undefined;
        log.info('region_graph_fetched', { vertices: router.graph.network.vertexCount });
      }
      if (answer.kind === 'unchanged') problem = undefined;
    } catch (error) {
      problem = error instanceof GraphFileError ? `The hub sent a road graph that failed its checks (${error.message}); the one here stays in use.` : error instanceof ApiError ? error.message : 'The road graph could not be fetched from the hub.';
      log.warn('region_graph_fetch_failed', {});
    }
    return status();
  }

  const timer = setInterval(() => void refresh(), refreshEveryMs);
  timer.unref();

  return {
    status,
    refresh,
    async route({ from, to, by, season }) {
      const current = await load();
      if (!current) return { found: false, reason: 'no_graph', straightLineM: Math.round(metresBetween(from[0], from[1], to[0], to[1]) * 10) / 10 };
      const answer = current.router.route(from, to, by, season);
      return answer.found ? { ...answer, path: thinned(answer.path, maxRoutePoints) } : answer;
    },
    async rank({ from, places, count, by, season }) {
      const current = await load();
      const byLine = [...places].map((place) => ({ id: place.id, distanceM: Math.round(metresBetween(from[0], from[1], place.lat, place.lon) * 10) / 10 })).sort((a, b) => a.distanceM - b.distanceM);
      if (!current) return { byRoad: [], byStraightLine: byLine.slice(0, count), byRoadMissing: 'no_graph' };
      const ranked = current.router.rank(from, places, { count, by, season });
      return {
        byRoad: ranked.byRoad.map(({ facility, distanceM, durationS }) => ({ id: facility.id, distanceM, durationS })),
        byStraightLine: ranked.byStraightLine.map(({ facility, distanceM }) => ({ id: facility.id, distanceM })),
        ...(current.router.snap(from) ? {} : { byRoadMissing: 'off_network' as const }),
      };
    },
    async basemap({ offset, limit }) {
      const current = await load();
      if (!current) return { total: 0, features: [] };
      if (drawn?.router !== current.router) {
        const { network } = current.router.graph;
        let [west, south, east, north] = [180, 90, -180, -90];
        for (let v = 0; v < network.vertexCount; v++) {
          west = Math.min(west, network.lon[v]!);
          east = Math.max(east, network.lon[v]!);
          south = Math.min(south, network.lat[v]!);
          north = Math.max(north, network.lat[v]!);
        }
        drawn = { router: current.router, features: basemapFeatures(network, current.router.graph.basemap), bounds: [west, south, east, north] };
      }
      return { total: drawn.features.length, features: drawn.features.slice(offset, offset + limit), ...(drawn.features.length > 0 ? { bounds: drawn.bounds } : {}) };
    },
    close: () => clearInterval(timer),
  };
}
