import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { facilityCapabilities } from '../../app/facilities/capabilities';
import type { OsmFacility } from '../../app/facilities/osm-facility';
import { decodeRoadGraph, encodeRoadGraph } from '../../app/routing/graph-file';
import { defaultSpeedsKmh } from '../../app/routing/road-classes';
import { compileRoadGraph, type RegionExtract } from '../../app/routing/road-graph';
import { measureRouting } from '../../app/routing/routing.benchmark';
import { syntheticRoads } from '../../app/routing/synthetic-roads';
import { seededRandom } from '../../app/search/synthetic-patients';
import { readOsmExtract } from '../../sync/hub/region/osm-extract';
import { compressGraphBytes } from '../../sync/hub/region/region-store';

// `node routing-bench.mjs <extract.osm.pbf> <synthetic arcs>`: imports the extract as `clinic-route import`
// does and a seeded synthetic region of that many arcs, writes and reloads each graph file, then measures
// routes and rankings on both (app/routing/routing.benchmark.ts); prints the result as JSON (scripts/bench.mjs, section routing).
const [extractPath, arcs] = process.argv.slice(2);
if (extractPath === undefined || arcs === undefined) throw new Error('usage: routing-bench.mjs <extract.osm.pbf> <synthetic arcs>');
const folder = mkdtempSync(join(tmpdir(), 'clinic-routing-bench-'));

async function importAndMeasure(name: string, read: () => Promise<RegionExtract> | RegionExtract, queries: Parameters<typeof measureRouting>[1]) {
  const started = performance.now();
  const region = await read();
  const readMs = performance.now() - started;
  const graph = compileRoadGraph(region, defaultSpeedsKmh);
  const bytes = encodeRoadGraph(graph);
  const file = join(folder, `${name}.graph`);
  writeFileSync(file, bytes);
  const importMs = performance.now() - started;
  // What the hub sends a workstation (Brotli, made once at import), beside the file itself.
  const compressStarted = performance.now();
  const sentBytes = (await compressGraphBytes(bytes)).length;
  const compressMs = performance.now() - compressStarted;
  const loadStarted = performance.now();
  const loaded = decodeRoadGraph(new Uint8Array(readFileSync(file)));
  const loadMs = performance.now() - loadStarted;
  return {
    name,
    vertices: loaded.network.vertexCount,
    arcs: loaded.network.arcCount,
    shortcuts: loaded.hierarchies.dry.shortcutCount,
    facilities: loaded.facilities.length,
    readMs,
    importMs,
    bytes: bytes.length,
    sentBytes,
    compressMs,
    loadMs,
    heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    ...measureRouting(loaded, queries),
  };
}

/** The synthetic region with a facility at each town centre, a third of them able to operate. */
function synthetic(): RegionExtract {
  const roads = syntheticRoads({ seed: 20261206, arcs: Number(arcs) });
  const random = seededRandom(2);
  const facilities: OsmFacility[] = roads.centres.map((node, i) => ({
    id: `node/${i + 1}`,
    kind: 'hospital',
    lat: roads.coordinates[node]![0],
    lon: roads.coordinates[node]![1],
    capabilities: random() < 1 / 3 ? ['surgery'] : [facilityCapabilities[Math.floor(random() * facilityCapabilities.length)]!].filter((c) => c !== 'surgery'),
  }));
  return { ways: roads.ways, coordinate: (node) => roads.coordinates[node], facilities };
}

try {
  const andorra = await importAndMeasure('andorra', () => readOsmExtract(extractPath), { queries: 1000, aStarQueries: 1000 });
  const large = await importAndMeasure('synthetic', synthetic, { queries: 1000, aStarQueries: 200, capability: 'surgery' });
  process.stdout.write(`${JSON.stringify({ regions: [andorra, large] })}\n`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
