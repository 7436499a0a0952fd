import { open } from 'node:fs/promises';

/**
 * Checks an OSM PBF file's framing before it is parsed: a sequence of
 * (4-byte length, BlobHeader, Blob) blocks, the first an "OSMHeader", the
 * rest "OSMData", ending exactly at the end of the file
 * (https://wiki.openstreetmap.org/wiki/PBF_Format). osm-pbf-parser reads a
 * garbled or cut-short file as an empty or partial one without a word, which
 * would import a region with roads missing; this refuses it with a reason.
 * Only the headers are read, so it costs a few reads per megabyte.
 */

export class OsmExtractError extends Error {
  override name = 'OsmExtractError';
}

/** The PBF format's own limits: a BlobHeader under 64 KiB, a Blob under 32 MiB. */
const maxHeaderBytes = 64 * 1024;
const maxBlobBytes = 32 * 1024 * 1024;

/** The `type` and `datasize` fields of a BlobHeader (a protocol buffer), or undefined when it is not one. */
function blobHeader(bytes: Uint8Array): { type: string; dataSize: number } | undefined {
  let at = 0;
  let type: string | undefined;
  let dataSize: number | undefined;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.length) return undefined;
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    return undefined;
  };
  while (at < bytes.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const value = varint();
      if (value === undefined) return undefined;
      if (field === 3) dataSize = value;
    } else if (wire === 2) {
      const length = varint();
      if (length === undefined || at + length > bytes.length) return undefined;
      if (field === 1) type = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(at, at + length));
      at += length;
    } else return undefined;
  }
  return type !== undefined && dataSize !== undefined ? { type, dataSize } : undefined;
}

/** Resolves when the file is framed as an OSM PBF extract; otherwise an OsmExtractError says how it is not. */
export async function checkPbfFraming(path: string): Promise<void> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new OsmExtractError(error.code === 'ENOENT' ? `There is no file at ${path}.` : `The extract could not be read (${error.code ?? 'error'}).`);
  });
  try {
    const { size } = await file.stat();
    if (size === 0) throw new OsmExtractError('The extract is empty: it is not an OSM PBF file.');
    const lengthBytes = new Uint8Array(4);
    let offset = 0;
    let blocks = 0;
    while (offset < size) {
      const cut = 'The extract ends in the middle of a block: it was cut short (copied or downloaded incompletely). Download it again.';
      if (offset + 4 > size) throw new OsmExtractError(cut);
      await file.read(lengthBytes, 0, 4, offset);
      const headerLength = new DataView(lengthBytes.buffer).getUint32(0);
      if (headerLength === 0 || headerLength > maxHeaderBytes) throw new OsmExtractError(blocks === 0 ? 'This file is not an OSM PBF extract (it does not start as one).' : `The extract is damaged at byte ${offset}: a block header is not readable.`);
      if (offset + 4 + headerLength > size) throw new OsmExtractError(cut);
      const headerBytes = new Uint8Array(headerLength);
      await file.read(headerBytes, 0, headerLength, offset + 4);
      const header = blobHeader(headerBytes);
      const expected = blocks === 0 ? 'OSMHeader' : 'OSMData';
      if (!header || header.type !== expected || header.dataSize > maxBlobBytes)
        throw new OsmExtractError(blocks === 0 ? 'This file is not an OSM PBF extract (it does not start as one).' : `The extract is damaged at byte ${offset}: a block header is not readable.`);
      offset += 4 + headerLength + header.dataSize;
      if (offset > size) throw new OsmExtractError(cut);
      blocks++;
    }
  } finally {
    await file.close();
  }
}
