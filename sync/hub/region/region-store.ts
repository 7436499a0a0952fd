import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
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
/**
 * The same graph compressed with Brotli, which workstations are sent when
 * they accept it: a graph is mostly small integers, a quarter to half of its
 * size compressed (Andorra's 5.5 MiB go as 1.3 MiB; BENCHMARKS.md, routing), and clinics' links are slow.
 */
export const compressedGraphPath = (dataDir: string) => `${regionGraphPath(dataDir)}.br`;

const brotli = promisify(brotliCompress);

/** A graph file as the hub sends it compressed: quality 6 of 11 (Andorra: 1.28 MiB in 0.2 s, where 9 gives 1.24 MiB in 0.7 s). */
export function compressGraphBytes(bytes: Uint8Array): Promise<Buffer> {
  return brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
}

/** Writes the compressed copy of the graph now in place (beside, then renamed; newer than the graph, which is how the hub knows it is this graph's). */
async function compressGraph(dataDir: string): Promise<void> {
  const compressed = await compressGraphBytes(await readFile(regionGraphPath(dataDir)));
  const target = compressedGraphPath(dataDir);
  await writeFile(`${target}.partial`, compressed, { mode: 0o600 });
  await rename(`${target}.partial`, target);
}

/** Builds the region's graph from an extract and puts it in place (written beside, then renamed: the hub never reads half a graph). */
export async function importRegion(dataDir: string, extract: string, speeds: RoadSpeeds): Promise<RoadGraph> {
  const region = await readOsmExtract(extract);
  const graph = compileRoadGraph(region, speeds);
  await mkdir(join(dataDir, 'region'), { recursive: true, mode: 0o700 });
  const target = regionGraphPath(dataDir);
  await writeFile(`${target}.partial`, encodeRoadGraph(graph), { mode: 0o600 });
  await rename(`${target}.partial`, target);
  await compressGraph(dataDir);
  return graph;
}

/** Whether an Accept-Encoding header takes Brotli (`br`, with no weight or a weight above 0). */
export function acceptsBrotli(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    return coding === 'br' && (weight === undefined || Number(weight.slice(2)) > 0);
  });
}

/** The region's router as the file now is: loaded once, again when the file is replaced, none while there is no file. */
export function createRegionCache(dataDir: string): { router(): Promise<RoadRouter | undefined>; serveGraph(req: IncomingMessage, res: ServerResponse): Promise<void> } {
  let loaded: { identity: string; router: RoadRouter } | undefined;
  let compressing: Promise<void> | undefined;
  return {
    /**
     * The graph file as it is, with an ETag so a workstation that has it is
     * told so (304) rather than sent it again; Brotli-compressed when the
     * workstation accepts it and the compressed copy is this graph's (a graph
     * put in place without one, by an older hub, gets one made meanwhile).
     */
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
      const compressed = await stat(compressedGraphPath(dataDir)).catch(() => undefined);
      const current = compressed !== undefined && compressed.mtimeMs >= info.mtimeMs;
      if (!current) compressing ??= compressGraph(dataDir).finally(() => (compressing = undefined)).catch(() => undefined);
      const send = current && acceptsBrotli(req.headers['accept-encoding']) ? { path: compressedGraphPath(dataDir), size: compressed.size, encoding: { 'Content-Encoding': 'br' } } : { path, size: info.size, encoding: {} };
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(send.size), ETag: etag, Vary: 'Accept-Encoding', ...send.encoding });
      await new Promise<void>((resolve) => {
        const file = createReadStream(send.path);
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
