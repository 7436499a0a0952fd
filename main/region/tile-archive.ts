import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PMTiles, TileType, type Source } from 'pmtiles';
import { z } from 'zod';
import { ApiError } from '../../app/contract/errors';
import { rasterTileTypes, tileArchiveKinds, type TileArchiveStatus } from '../../app/contract/region';
import type { Logger } from '../../app/log/logger';

/**
 * The clinic's optional map background on this workstation: a PMTiles
 * archive of raster tiles an administrator adds from a file (a USB stick: a
 * tile archive is too large to send every workstation through the hub),
 * checked, then copied into the data folder so the map does not depend on
 * the stick. The map reads it a byte range at a time through the API
 * (pmtiles' own Source on the screen's side), in browser mode and in
 * Electron alike, so neither server needs HTTP Range requests.
 */

export interface TileArchive {
  status(): Promise<TileArchiveStatus>;
  add(params: { path: string; kind: (typeof tileArchiveKinds)[number] }): Promise<TileArchiveStatus>;
  remove(): Promise<TileArchiveStatus>;
  read(params: { key: string; offset: number; length: number }): Promise<{ data: string }>;
}

const savedSchema = z
  .object({
    key: z.string(),
    kind: z.enum(tileArchiveKinds),
    tileType: z.enum(rasterTileTypes),
    minZoom: z.number().int(),
    maxZoom: z.number().int(),
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    attribution: z.string().optional(),
    bytes: z.number().int(),
    addedAt: z.iso.datetime(),
  })
  .strict();
type Saved = z.infer<typeof savedSchema>;

const rasterTypes = new Map<TileType, (typeof rasterTileTypes)[number]>([
  [TileType.Png, 'png'],
  [TileType.Jpeg, 'jpeg'],
  [TileType.Webp, 'webp'],
  [TileType.Avif, 'avif'],
]);

/** Bytes of a file as pmtiles' Source; a read past the end answers what there is (pmtiles asks 16 KiB at first, whatever the size). */
function fileSource(path: string, size: number): Source {
  return {
    getKey: () => path,
    async getBytes(offset, asked) {
      const length = Math.max(0, Math.min(asked, size - offset));
      const file = await open(path, 'r');
      try {
        const data = new Uint8Array(length);
        const { bytesRead } = await file.read(data, 0, length, offset);
        return { data: data.buffer.slice(0, bytesRead) };
      } finally {
        await file.close();
      }
    },
  };
}

class TileArchiveError extends Error {}

/** The archive's credit as plain text: tags dropped, entities kept as written (the map shows text, never the file's HTML). */
function plainAttribution(metadata: unknown): string | undefined {
  const attribution = typeof metadata === 'object' && metadata !== null && 'attribution' in metadata ? metadata.attribution : undefined;
  if (typeof attribution !== 'string') return undefined;
  const text = attribution.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim().slice(0, 300);
  return text || undefined;
}

/** Checks a file is a PMTiles v3 archive of raster tiles, whole, and answers what the map needs of it. */
async function inspect(path: string): Promise<Omit<Saved, 'key' | 'kind' | 'addedAt'>> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new TileArchiveError('That path is a folder, not a file. Give the path of the .pmtiles file itself.');
    size = info.size;
  } catch (error) {
    if (error instanceof TileArchiveError) throw error;
    throw new TileArchiveError('No file can be read at that path on this computer. Check the path (and that the USB stick is in).');
  }
  const archive = new PMTiles(fileSource(path, size));
  try {
    const header = await archive.getHeader();
    if (header.tileDataOffset + (header.tileDataLength ?? 0) > size || header.rootDirectoryOffset + header.rootDirectoryLength > size) throw new TileArchiveError('The file ends before the archive does: it was not copied whole.');
    const tileType = rasterTypes.get(header.tileType);
    if (tileType === undefined) throw new TileArchiveError('This archive holds vector tiles or tiles of an unknown kind; only raster tiles (PNG, JPEG, WebP, AVIF) can be shown under the roads.');
    // Reading the root directory and the metadata proves both are where the header says, and decompress.
    await archive.getZxy(header.minZoom, 0, 0);
    const metadata = await archive.getMetadata();
    const attribution = plainAttribution(metadata);
    return { tileType, minZoom: header.minZoom, maxZoom: header.maxZoom, bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat], ...(attribution ? { attribution } : {}), bytes: size };
  } catch (error) {
    if (error instanceof TileArchiveError) throw error;
    throw new TileArchiveError('This file is not a PMTiles archive (version 3) that can be read: it may be another kind of file, or damaged.');
  }
}

export function createTileArchive({ dir, log }: { dir: string; log: Logger }): TileArchive {
  const archiveFile = join(dir, 'basemap.pmtiles');
  const savedFile = join(dir, 'basemap.json');
  let saved: Saved | null | undefined;

  async function current(): Promise<Saved | null> {
    if (saved !== undefined) return saved;
    try {
      saved = savedSchema.parse(JSON.parse(await readFile(savedFile, 'utf8')));
    } catch {
      saved = null;
    }
    return saved;
  }

  async function status(): Promise<TileArchiveStatus> {
    const here = await current();
    return here ? { available: true, ...here } : { available: false };
  }

  return {
    status,
    async add({ path, kind }) {
      let found: Awaited<ReturnType<typeof inspect>>;
      try {
        found = await inspect(path);
      } catch (error) {
        log.warn('tile_archive_refused', {});
        throw new ApiError({ code: 'bad_request', message: error instanceof TileArchiveError ? error.message : 'The file could not be read.' });
      }
      await mkdir(dir, { recursive: true });
      // Copied whole, then checked again where it lies, before it replaces the one in use.
      await copyFile(path, `${archiveFile}.partial`);
      const copied = await inspect(`${archiveFile}.partial`).catch(() => undefined);
      if (!copied || copied.bytes !== found.bytes) {
        await rm(`${archiveFile}.partial`, { force: true });
        throw new ApiError({ code: 'unavailable', message: 'The file changed or could not be copied whole while it was added. Add it again.' });
      }
      const next: Saved = { key: `tiles-${Date.now()}`, kind, ...copied, addedAt: new Date().toISOString() };
      await rename(`${archiveFile}.partial`, archiveFile);
      await writeFile(savedFile, JSON.stringify(next));
      saved = next;
      log.info('tile_archive_added', { bytes: next.bytes });
      return status();
    },
    async remove() {
      await rm(savedFile, { force: true });
      await rm(archiveFile, { force: true });
      saved = null;
      return status();
    },
    async read({ key, offset, length }) {
      const here = await current();
      if (!here || here.key !== key) throw new ApiError({ code: 'unavailable', message: 'The map background was replaced or removed. The map loads the current one.' });
      // A read running past the end answers what there is (pmtiles asks 16 KiB at first, however small the archive).
      if (offset >= here.bytes) throw new ApiError({ code: 'bad_request', message: 'That part of the map background lies beyond the end of its file.' });
      const { data } = await fileSource(archiveFile, here.bytes).getBytes(offset, length);
      return { data: Buffer.from(data).toString('base64') };
    },
  };
}
