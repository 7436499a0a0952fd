import { describe, expect, it } from 'vitest';
import type { OsmFacility } from '../facilities/osm-facility';
import { seededRandom } from '../search/synthetic-patients';
import { metresBetween } from './geo';
import { decodeRoadGraph, encodeRoadGraph, GraphFileError } from './graph-file';
import { defaultSpeedsKmh } from './road-classes';
import { compileRoadGraph, type RoadGraph } from './road-graph';
import { RoadRouter } from './road-router';
import { syntheticRoads } from './synthetic-roads';

/** A small road-like region with a facility at every fifth town centre, one far from any road, and one without the capability asked. */
function region(): RoadGraph {
  const roads = syntheticRoads({ seed: 3, arcs: 20_000 });
  const facilities: OsmFacility[] = roads.centres
    .filter((_, i) => i % 5 === 0)
    .map((node, i) => ({ id: `node/${1000 + i}`, kind: 'hospital', lat: roads.coordinates[node]![0], lon: roads.coordinates[node]![1], capabilities: i % 2 === 0 ? ['surgery'] : ['oxygen'] }));
  const [lat, lon] = roads.coordinates[roads.centres[0]!]!;
  // About 30 km south of the first town, beyond any road.
  facilities.push({ id: 'node/9', kind: 'health-post', lat: lat - 0.27, lon, capabilities: ['surgery'] });
  const basemap = { waterAreas: [], waterLines: [], places: [{ name: 'First town', kind: 'town' as const, lat: roads.coordinates[0]![0], lon: roads.coordinates[0]![1] }] };
  return compileRoadGraph({ ways: roads.ways, coordinate: (node) => roads.coordinates[node], facilities, basemap }, defaultSpeedsKmh);
}

const graph = region();
const router = new RoadRouter(graph);

describe('routing questions on a compiled region', { timeout: 60_000 }, () => {
  it('ranks facilities exactly as routing to every one of them would', () => {
    const random = seededRandom(5);
    const { lat, lon, vertexCount } = graph.network;
    for (let q = 0; q < 20; q++) {
      const v = Math.floor(random() * vertexCount);
      const from = [lat[v]!, lon[v]!] as const;
      for (const by of ['time', 'distance'] as const) {
        const ranked = router.nearestFacilities(from, { count: 3, by, capability: 'surgery' });
        const everyOne = graph.facilities
          .filter((facility) => facility.capabilities.includes('surgery'))
          .map((facility) => ({ facility, route: router.route(from, [facility.lat, facility.lon], by) }))
          .flatMap(({ facility, route }) => (route.found ? [{ id: facility.id, key: by === 'time' ? route.durationS : route.distanceM }] : []))
          .sort((a, b) => a.key - b.key)
          .slice(0, 3);
        expect(ranked.byRoad.map((entry) => (by === 'time' ? entry.durationS : entry.distanceM))).toEqual(everyOne.map((entry) => entry.key));
        expect(ranked.byRoad.every((entry) => entry.facility.capabilities.includes('surgery'))).toBe(true);
      }
    }
  });

  it('lists a facility far from any road by straight line only, and says a point there is off the network', () => {
    const far = graph.facilities.find((facility) => facility.id === 'node/9')!;
    const near = router.nearestFacilities([far.lat + 0.001, far.lon], { count: 50, by: 'time' });
    expect(near.byStraightLine[0]?.facility.id).toBe('node/9');
    expect(near.byRoad).toEqual([]);
    const from = [graph.network.lat[0]!, graph.network.lon[0]!] as const;
    expect(router.nearestFacilities(from, { count: 50, by: 'time' }).byRoad.map((entry) => entry.facility.id)).not.toContain('node/9');
    expect(router.route(from, [far.lat, far.lon], 'time')).toEqual({ found: false, reason: 'off_network', straightLineM: expect.any(Number) as number });
  });

  it('gives a route’s geometry from start to end, never shorter than the straight line, slower in the rainy season', () => {
    const towns = graph.facilities.filter((facility) => facility.id !== 'node/9');
    let slowerInRain = 0;
    for (const end of towns.slice(1)) {
      const start = towns[0]!;
      const dry = router.route([start.lat, start.lon], [end.lat, end.lon], 'time');
      const rainy = router.route([start.lat, start.lon], [end.lat, end.lon], 'time', 'rainy');
      if (!dry.found || !rainy.found) throw new Error('the synthetic region is one piece');
      expect(dry.path[0]).toEqual([start.lat, start.lon]);
      expect(dry.path.at(-1)).toEqual([end.lat, end.lon]);
      expect(dry.distanceM).toBeGreaterThanOrEqual(Math.floor(metresBetween(start.lat, start.lon, end.lat, end.lon)));
      expect(rainy.durationS).toBeGreaterThanOrEqual(dry.durationS);
      if (rainy.durationS > dry.durationS) slowerInRain++;
    }
    expect(slowerInRain).toBeGreaterThan(0);
  });

  it('answers the same from its file, and refuses the file when any part of it is damaged', () => {
    const bytes = encodeRoadGraph(graph);
    const loaded = new RoadRouter(decodeRoadGraph(bytes));
    expect(loaded.graph.basemap).toEqual(graph.basemap);
    const from = [graph.facilities[1]!.lat, graph.facilities[1]!.lon] as const;
    expect(loaded.nearestFacilities(from, { count: 3, by: 'time' })).toEqual(router.nearestFacilities(from, { count: 3, by: 'time' }));
    const random = seededRandom(8);
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    // Damage anywhere: in the header (a facility's name), and in the arrays.
    for (let i = 0; i < 40; i++) {
      const damaged = bytes.slice();
      const at = i % 2 === 0 ? 16 + Math.floor(random() * headerLength) : 16 + headerLength + Math.floor(random() * (damaged.length - 16 - headerLength));
      damaged[at] = damaged[at]! ^ (1 + Math.floor(random() * 255));
      expect(() => decodeRoadGraph(damaged), `byte ${at}`).toThrow(GraphFileError);
    }
    expect(() => decodeRoadGraph(bytes.subarray(0, bytes.length - 8))).toThrow('cut short');
    expect(() => decodeRoadGraph(new TextEncoder().encode('{"not":"a graph"}'))).toThrow('This is not a road graph file made by "clinic-route import".');
  });
});
