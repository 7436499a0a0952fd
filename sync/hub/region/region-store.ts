import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRoadGraph, encodeRoadGraph } from '../../../app/routing/graph-file';
import type { RoadSpeeds } from '../../../app/routing/road-classes';
import { compileRoadGraph, type RoadGraph } from '../../../app/routing/road-graph';
import { RoadRouter } from '../../../app/routing/road-router';
import { readOsmExtract } from './osm-extract';

/**
 * The hub's region: one road graph (`<data>/region/region.graph`), built from
 * an OSM extract by the operator (`npm run hub -- admin region-import`) and
 * read by the running hub, which reloads it when the file changes. The
 * facility API ranks by road with it; without one, by straight line.
 */

export const regionGraphPath = (dataDir: string) => join(dataDir, 'region', 'region.graph');

/** Builds the region's graph from an extract and puts it in place (written beside, then renamed: the hub never reads half a graph). */
export async function importRegion(dataDir: string, extract: string, speeds: RoadSpeeds): Promise<RoadGraph> {
  const region = await readOsmExtract(extract);
  const graph = compileRoadGraph(region, speeds);
  await mkdir(join(dataDir, 'region'), { recursive: true, mode: 0o700 });
  const target = regionGraphPath(dataDir);
  await writeFile(`${target}.partial`, encodeRoadGraph(graph), { mode: 0o600 });
  await rename(`${target}.partial`, target);
  return graph;
}

/** The region's router as the file now is: loaded once, again when the file is replaced, none while there is no file. */
export function createRegionCache(dataDir: string): { router(): Promise<RoadRouter | undefined> } {
  let loaded: { identity: string; router: RoadRouter } | undefined;
  return {
    async router() {
      const path = regionGraphPath(dataDir);
      const info = await stat(path).catch(() => undefined);
      if (!info) return (loaded = undefined);
      const identity = `${info.ino}:${info.size}:${info.mtimeMs}`;
      if (loaded?.identity !== identity) loaded = { identity, router: new RoadRouter(decodeRoadGraph(new Uint8Array(await readFile(path)))) };
      return loaded.router;
    },
  };
}
