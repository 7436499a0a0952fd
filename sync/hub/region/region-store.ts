import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
export function createRegionCache(dataDir: string): { router(): Promise<RoadRouter | undefined>; serveGraph(req: IncomingMessage, res: ServerResponse): Promise<void> } {
  let loaded: { identity: string; router: RoadRouter } | undefined;
  return {
    /** The graph file as it is, with an ETag so a workstation that has it is told so (304) rather than sent it again. */
    async serveGraph(req, res) {
      const path = regionGraphPath(dataDir);
      const info = await stat(path).catch(() => undefined);
      if (!info) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'not_found', reason: 'This hub has no road graph for its region yet: its operator imports one (admin region-import).' }));
        return;
      }
      const etag = `"${info.ino.toString(36)}-${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(info.size), ETag: etag });
      await new Promise<void>((resolve) => {
        const file = createReadStream(path);
        file.on('error', () => (res.destroy(), resolve()));
        res.on('close', () => (file.destroy(), resolve()));
        file.pipe(res);
      });
    },
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
