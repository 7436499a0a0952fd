import * as maplibregl from 'maplibre-gl';
import { PMTiles, Protocol, type Source } from 'pmtiles';

/**
 * The map background's tiles as maplibre asks for them: pmtiles' own
 * Protocol, over a Source that reads the workstation's archive a byte range
 * at a time through the API (main/region/tile-archive.ts). So the map needs
 * no HTTP Range support from either server, and works alike in Electron and
 * in browser mode. The protocol is registered once for every map.
 */
const protocol = new Protocol();
maplibregl.addProtocol('pmtiles', protocol.tile);

/** Makes the archive under `key` readable by the map; answers the URL of its source (`pmtiles://<key>`). */
export function tileArchiveUrl(key: string, read: (offset: number, length: number) => Promise<ArrayBuffer>): string {
  if (!protocol.get(key)) {
    const source: Source = { getKey: () => key, getBytes: async (offset, length) => ({ data: await read(offset, length) }) };
    protocol.add(new PMTiles(source));
  }
  return `pmtiles://${key}`;
}
