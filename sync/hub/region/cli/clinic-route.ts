import { readFile, rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { encodeRoadGraph, decodeRoadGraph, GraphFileError } from '../../../../app/routing/graph-file';
import { speedsWith } from '../../../../app/routing/road-classes';
import { compileRoadGraph } from '../../../../app/routing/road-graph';
import { RoadRouter } from '../../../../app/routing/road-router';
import { OsmExtractError, readOsmExtract } from '../osm-extract';
import { answerLine } from './route-batch';

const usage = `Usage: npx clinic-route import <extract.osm.pbf> --out <graph-file> [--speed <class>=<km/h>]...
       npx clinic-route batch --graph <graph-file>

import compiles an OSM PBF extract's car roads into a road graph file (distance, dry-season and
rainy-season time, each with a contraction hierarchy) with the health facilities found in it, and
prints one JSON object with the counts. Default speeds (km/h): motorway 100, trunk 80, primary 60,
secondary 50, tertiary 40, unclassified 30, road 30, residential 25, service 15, living_street 10;
--speed overrides one (a change of speed means a new import).

batch reads JSON lines on stdin and answers one line each:
  {"id","from":[lat,lon],"to":[lat,lon],"by":"distance"|"time"}  -> {"id","distance_m","duration_s"}
                                                                  or {"id","route":null,"reason":"no_route"|"off_network"}
  {"id","from":[lat,lon],"nearest":3,"by":"distance"|"time"}    -> {"id","byRoad":[...],"byStraightLine":[...]}
optional: "season":"dry"|"rainy" (default dry), and with "nearest", "capability":"surgery" (or another).
Exit 1 when the extract or graph file cannot be used, 2 on bad usage.`;

function badUsage(reason: string): number {
  process.stderr.write(`${reason}\n${usage}\n`);
  return 2;
}

async function importExtract(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string' }, speed: { type: 'string', multiple: true } }, allowPositionals: true });
  } catch (error) {
    return badUsage(`${(error as Error).message.split('. ')[0] ?? 'Bad options'}.`);
  }
  const [extract, ...extra] = parsed.positionals;
  const out = parsed.values.out;
  if (!extract || extra.length > 0 || !out) return badUsage(!extract ? 'No extract given.' : !out ? 'No --out file given.' : 'Give one extract.');
  let speeds;
  try {
    const overrides: Record<string, number> = {};
    for (const given of parsed.values.speed ?? []) {
      const [name, kmh] = given.split('=');
      if (!name || kmh === undefined || kmh.trim() === '') throw new RangeError(`--speed takes <class>=<km/h>, like residential=20; "${given}" is not that.`);
      overrides[name] = Number(kmh);
    }
    speeds = speedsWith(overrides);
  } catch (error) {
    return badUsage((error as Error).message);
  }
  const started = performance.now();
  try {
    const region = await readOsmExtract(extract);
    if (region.ways.length === 0) {
      process.stderr.write('The extract holds no roads a car can use: nothing to route on. Is it the right file?\n');
      return 1;
    }
    const graph = compileRoadGraph(region, speeds, (step) => process.stderr.write(`${step}…\n`));
    const bytes = encodeRoadGraph(graph);
    // Written beside the target, then renamed over it: an interrupted import never leaves half a graph.
    await writeFile(`${out}.partial`, bytes);
    await rename(`${out}.partial`, out);
    const byKind: Record<string, number> = {};
    for (const facility of graph.facilities) byKind[facility.kind] = (byKind[facility.kind] ?? 0) + 1;
    const report = {
      vertices: graph.counts.vertices,
      arcs: graph.counts.arcs,
      waysByClass: graph.counts.waysByClass,
      facilities: graph.facilities.length,
      facilitiesByKind: byKind,
      facilitiesWithoutPosition: region.facilitiesWithoutPosition,
      segmentsWithoutNodes: graph.counts.segmentsWithoutNodes,
      map: { places: graph.basemap.places.length, waterAreas: graph.basemap.waterAreas.length, waterLines: graph.basemap.waterLines.length },
      shortcuts: Object.fromEntries(Object.entries(graph.hierarchies).map(([metric, hierarchy]) => [metric, hierarchy.shortcutCount])),
      bytes: bytes.length,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof OsmExtractError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function loadRouter(path: string): Promise<RoadRouter> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new GraphFileError(`There is no readable road graph file at ${path}.`);
  }
  return new RoadRouter(decodeRoadGraph(bytes));
}

async function batch(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { graph: { type: 'string' } } });
  } catch (error) {
    return badUsage(`${(error as Error).message.split('. ')[0] ?? 'Bad options'}.`);
  }
  if (!parsed.values.graph) return badUsage('No --graph file given.');
  let router: RoadRouter;
  try {
    router = await loadRouter(parsed.values.graph);
  } catch (error) {
    if (!(error instanceof GraphFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const answer = `${JSON.stringify(answerLine(router, line))}\n`;
    // Respect a slow reader: wait for the pipe to drain rather than buffer every answer.
    if (!process.stdout.write(answer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'import') return importExtract(rest);
  if (command === 'batch') return batch(rest);
  return badUsage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
}

process.exitCode = await main(process.argv.slice(2));
