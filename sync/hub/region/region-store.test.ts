import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRoadGraph } from '../../../app/routing/graph-file';
import { defaultSpeedsKmh } from '../../../app/routing/road-classes';
import { compileRoadGraph } from '../../../app/routing/road-graph';
import { syntheticRoads } from '../../../app/routing/synthetic-roads';
import { acceptsBrotli, compressedGraphPath, createRegionCache, regionGraphPath } from './region-store';

const roads = syntheticRoads({ seed: 7, arcs: 20_000 });
const graphBytes = encodeRoadGraph(compileRoadGraph({ ways: roads.ways, coordinate: (node) => roads.coordinates[node], facilities: [] }, defaultSpeedsKmh));
const opened: { server: Server; dir: string }[] = [];

/** A hub data folder holding a region graph put in place as an older hub did (no compressed copy), served over real HTTP. */
async function serving() {
  const dir = await mkdtemp(join(tmpdir(), 'region-store-'));
  await mkdir(join(dir, 'region'));
  await writeFile(regionGraphPath(dir), graphBytes);
  const cache = createRegionCache(dir);
  const server = createServer((req, res) => void cache.serveGraph(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({ server, dir });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  // Raw bytes as sent (fetch would decompress them): node:http's request keeps the encoding.
  const get = (acceptEncoding?: string) =>
    new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(url, { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
  return { dir, get };
}

afterEach(async () => {
  for (const { server, dir } of opened.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});

describe('the hub sends its region graph', () => {
  it('compressed with Brotli to a workstation that takes it, once the compressed copy is this graph’s; as it is otherwise', async () => {
    const { dir, get } = await serving();
    // No compressed copy yet: sent as it is, and one is made meanwhile.
    const first = await get('br, gzip');
    expect([first.status, first.encoding]).toEqual([200, undefined]);
    expect(first.body.equals(Buffer.from(graphBytes))).toBe(true);
    for (const started = Date.now(); !(await stat(compressedGraphPath(dir)).catch(() => undefined)) && Date.now() - started < 10_000; ) await new Promise((resolve) => setTimeout(resolve, 20));

    const compressed = await get('gzip, deflate, br');
    expect(compressed.encoding).toBe('br');
    expect(compressed.body.length).toBeLessThan(graphBytes.length / 2);
    expect(brotliDecompressSync(compressed.body).equals(Buffer.from(graphBytes))).toBe(true);
    expect((await get('gzip')).encoding).toBeUndefined();
    expect((await get('br;q=0, gzip')).encoding).toBeUndefined();

    // A new graph put in place after the copy was made: the copy is not this graph's, so the graph goes as it is.
    const later = new Date(Date.now() + 60_000);
    await writeFile(regionGraphPath(dir), await readFile(regionGraphPath(dir)));
    await utimes(regionGraphPath(dir), later, later);
    expect((await get('br')).encoding).toBeUndefined();
  });

  it('reads Accept-Encoding as HTTP says', () => {
    expect(acceptsBrotli('br')).toBe(true);
    expect(acceptsBrotli('gzip, deflate, br;q=0.5')).toBe(true);
    expect(acceptsBrotli('gzip, BR')).toBe(true);
    expect(acceptsBrotli('br;q=0')).toBe(false);
    expect(acceptsBrotli('brotli, gzip')).toBe(false);
    expect(acceptsBrotli(undefined)).toBe(false);
  });
});
