import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PMTiles, type Source } from 'pmtiles';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../app/log/logger';
import { createTileArchive } from './tile-archive';

// The shared sample: a PMTiles v3 archive of WebP elevation tiles around Bad Schandau (© Mapterhorn; ../shared/data/osm/SOURCES.md).
const sample = fileURLToPath(new URL('../../../shared/data/osm/near-badschandau-z10-11.pmtiles', import.meta.url));
const dirs: string[] = [];

async function archiveIn() {
  const dir = await mkdtemp(join(tmpdir(), 'tiles-'));
  dirs.push(dir);
  return { dir, tiles: createTileArchive({ dir: join(dir, 'region'), log: silentLogger }) };
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the map background from a PMTiles file', () => {
  it('adds a raster archive, says what it holds, and serves its bytes so pmtiles reads the same tiles as from the file', async () => {
    const { dir, tiles } = await archiveIn();
    expect(await tiles.status()).toEqual({ available: false });
    const added = await tiles.add({ path: sample, kind: 'relief' });
    expect(added).toMatchObject({ available: true, kind: 'relief', tileType: 'webp', minZoom: 10, maxZoom: 11, attribution: '© Mapterhorn', bytes: 766361 });
    if (!added.available) throw new Error('not added');
    expect(added.bounds[0]).toBeCloseTo(14.2037, 3);
    // pmtiles on the screen's side reads through the API: here the same Source over `read`.
    const overApi: Source = { getKey: () => added.key, getBytes: async (offset, length) => ({ data: new Uint8Array(Buffer.from((await tiles.read({ key: added.key, offset, length })).data, 'base64')).buffer }) };
    const bytes = await readFile(sample);
    const direct: Source = { getKey: () => 'file', getBytes: (offset, length) => Promise.resolve({ data: new Uint8Array(bytes.subarray(offset, offset + length)).buffer }) };
    const header = await new PMTiles(direct).getHeader();
    const x = Math.floor(((header.centerLon + 180) / 360) * 2 ** 10);
    const lat = (header.centerLat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** 10);
    const [viaApi, fromFile] = await Promise.all([new PMTiles(overApi).getZxy(10, x, y), new PMTiles(direct).getZxy(10, x, y)]);
    expect(fromFile?.data.byteLength).toBeGreaterThan(1000);
    expect(Buffer.from(viaApi!.data).equals(Buffer.from(fromFile!.data))).toBe(true);
    // Still there when the workstation starts again, the USB stick gone.
    expect(await createTileArchive({ dir: join(dir, 'region'), log: silentLogger }).status()).toEqual(added);
  });

  it('refuses what is not a whole raster PMTiles archive in plain words, and keeps the one in use', async () => {
    const { dir, tiles } = await archiveIn();
    const kept = await tiles.add({ path: sample, kind: 'imagery' });
    const bytes = await readFile(sample);
    const truncated = join(dir, 'truncated.pmtiles');
    await writeFile(truncated, bytes.subarray(0, 200_000));
    const notOne = join(dir, 'notes.pmtiles');
    await writeFile(notOne, 'Just some notes, not a map.');
    await expect(tiles.add({ path: truncated, kind: 'imagery' })).rejects.toMatchObject({ code: 'bad_request', message: 'The file ends before the archive does: it was not copied whole.' });
    await expect(tiles.add({ path: notOne, kind: 'imagery' })).rejects.toThrow('This file is not a PMTiles archive (version 3) that can be read');
    await expect(tiles.add({ path: join(dir, 'missing.pmtiles'), kind: 'imagery' })).rejects.toThrow('No file can be read at that path on this computer.');
    await expect(tiles.add({ path: dir, kind: 'imagery' })).rejects.toThrow('That path is a folder, not a file.');
    expect(await tiles.status()).toEqual(kept);
  });

  it('answers a read only for the archive in use and within its file', async () => {
    const { tiles } = await archiveIn();
    const first = await tiles.add({ path: sample, kind: 'relief' });
    if (!first.available) throw new Error('not added');
    expect(Buffer.from((await tiles.read({ key: first.key, offset: 766_000, length: 1000 })).data, 'base64')).toHaveLength(361);
    await expect(tiles.read({ key: first.key, offset: 766_361, length: 1 })).rejects.toMatchObject({ code: 'bad_request' });
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await tiles.add({ path: sample, kind: 'relief' });
    if (!second.available) throw new Error('not added');
    expect(second.key).not.toBe(first.key);
    await expect(tiles.read({ key: first.key, offset: 0, length: 127 })).rejects.toMatchObject({ code: 'unavailable' });
    expect(Buffer.from((await tiles.read({ key: second.key, offset: 0, length: 7 })).data, 'base64').toString()).toBe('PMTiles');
    expect(await tiles.remove()).toEqual({ available: false });
    await expect(tiles.read({ key: second.key, offset: 0, length: 7 })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
