import { z } from 'zod';
import { facilityCapabilities, facilityKinds } from '../facilities/capabilities';
import { basemapLayersSchema, emptyBasemap } from './basemap';
import type { Hierarchy } from './hierarchy';
import { roadClasses } from './road-classes';
import type { RoadGraph } from './road-graph';
import { metrics, type Metric, type RoadNetwork } from './road-network';

/**
 * The compiled graph as one file: an 8-byte signature, a JSON header (counts,
 * speeds, facilities, and where each array lies) with its length and
 * checksum, then the typed arrays
 * themselves, each 8-byte aligned, so loading is a view over the file's
 * bytes with no parsing of the arrays. Loading checks everything a query
 * trusts (every index in range, every shortcut made of earlier arcs), so a
 * damaged file is refused with a reason instead of sending a search astray.
 */

const signature = 'CWROUTE1';
/** After the signature: the header's length and its checksum (4 bytes each, little-endian). */
const headerStart = 16;
const formatVersion = 1;

type ArrayKind = 'u32' | 'u8' | 'f64';
type Stored = Uint32Array | Uint8Array | Float64Array;
const kindOf = (array: Stored): ArrayKind => (array instanceof Uint32Array ? 'u32' : array instanceof Uint8Array ? 'u8' : 'f64');
const bytesPer: Record<ArrayKind, number> = { u32: 4, u8: 1, f64: 8 };

export class GraphFileError extends Error {
  override name = 'GraphFileError';
}

const hierarchyArrays = ['rank', 'shortcutTail', 'shortcutHead', 'shortcutWeight', 'shortcutFirst', 'shortcutSecond', 'upFirst', 'upArc', 'upHead', 'upWeight', 'downFirst', 'downArc', 'downTail', 'downWeight'] as const;

function sections(graph: RoadGraph): [string, Stored][] {
  const { network, hierarchies } = graph;
  const list: [string, Stored][] = [
    ['lat', network.lat],
    ['lon', network.lon],
    ['arcTail', network.arcTail],
    ['arcHead', network.arcHead],
    ['arcClass', network.arcClass],
  ];
  for (const metric of metrics) list.push([`weight.${metric}`, network.weight[metric]]);
  for (const metric of metrics) for (const name of hierarchyArrays) list.push([`${metric}.${name}`, hierarchies[metric][name]]);
  // The basemap's water and places as UTF-8 JSON: read once at load, never by a query.
  list.push(['basemap', new TextEncoder().encode(JSON.stringify(graph.basemap))]);
  return list;
}

const countSchema = z.number().int().nonnegative();
const facilitySchema = z.object({
  id: z.string().regex(/^(node|way)\/\d+$/),
  kind: z.enum(facilityKinds),
  name: z.string().max(500).optional(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  capabilities: z.array(z.enum(facilityCapabilities)),
  beds: countSchema.optional(),
  phone: z.string().max(200).optional(),
  openingHours: z.string().max(500).optional(),
  operator: z.string().max(500).optional(),
  confirmedAt: z.string().max(40).optional(),
  confirmedBy: z.string().max(300).optional(),
});
const headerSchema = z.object({
  format: z.literal('clinic-route-graph'),
  version: z.literal(formatVersion),
  vertexCount: countSchema,
  arcCount: countSchema,
  shortcutCount: z.object({ distance: countSchema, dry: countSchema, rainy: countSchema }),
  speeds: z.object(Object.fromEntries(roadClasses.map((name) => [name, z.number().positive()])) as Record<(typeof roadClasses)[number], z.ZodNumber>),
  counts: z.object({ vertices: countSchema, arcs: countSchema, waysByClass: z.partialRecord(z.enum(roadClasses), countSchema), segmentsWithoutNodes: countSchema }),
  facilities: z.array(facilitySchema),
  sections: z.array(z.object({ name: z.string(), kind: z.enum(['u32', 'u8', 'f64']), offset: countSchema, length: countSchema })),
  dataBytes: countSchema.multipleOf(8),
  checksum: countSchema,
});

/**
 * A 32-bit checksum of the arrays (multiply-xor over their words, two lanes):
 * catches a file damaged on disk or in a copy, which the index checks alone
 * would miss in the weights. About a millisecond per 10 MB here.
 */
function checksumOf(words: Uint32Array): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i + 1 < words.length; i += 2) {
    a = Math.imul(a ^ words[i]!, 0x9e3779b1);
    b = Math.imul(b ^ words[i + 1]!, 0x85ebca77);
  }
  return (a ^ (b >>> 15) ^ Math.imul(b, 0xc2b2ae3d) ^ words.length) >>> 0;
}

/** Bytes as 32-bit words, the last padded with zeros. */
function paddedWords(bytes: Uint8Array): Uint32Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 8) * 8);
  padded.set(bytes);
  return new Uint32Array(padded.buffer);
}

export function encodeRoadGraph(graph: RoadGraph): Uint8Array {
  const list = sections(graph);
  let offset = 0;
  const placed = list.map(([name, array]) => {
    const at = offset;
    offset = Math.ceil((offset + array.byteLength) / 8) * 8;
    return { name, kind: kindOf(array), offset: at, length: array.length };
  });
  const header = {
    format: 'clinic-route-graph',
    version: formatVersion,
    vertexCount: graph.network.vertexCount,
    arcCount: graph.network.arcCount,
    shortcutCount: Object.fromEntries(metrics.map((metric) => [metric, graph.hierarchies[metric].shortcutCount])),
    speeds: graph.speeds,
    counts: graph.counts,
    facilities: graph.facilities,
    sections: placed,
    dataBytes: offset,
    checksum: 0,
  };
  const data = new Uint8Array(offset);
  list.forEach(([, array], i) => data.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), placed[i]!.offset));
  header.checksum = checksumOf(new Uint32Array(data.buffer, 0, offset / 4));
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((headerStart + headerBytes.length) / 8) * 8;
  const bytes = new Uint8Array(dataStart + offset);
  bytes.set(new TextEncoder().encode(signature), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, headerStart);
  view.setUint32(12, checksumOf(paddedWords(headerBytes)), true);
  bytes.set(data, dataStart);
  return bytes;
}

/** The graph in `bytes`, viewing the arrays in place (the bytes must stay unchanged), or a GraphFileError saying what is wrong. */
export function decodeRoadGraph(bytes: Uint8Array): RoadGraph {
  if (bytes.length < headerStart || new TextDecoder().decode(bytes.subarray(0, 8)) !== signature) throw new GraphFileError('This is not a road graph file made by "clinic-route import".');
  const fields = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = fields.getUint32(8, true);
  if (headerStart + headerLength > bytes.length) throw new GraphFileError('The road graph file is cut short: import the region again.');
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLength);
  if (checksumOf(paddedWords(headerBytes)) !== fields.getUint32(12, true)) throw new GraphFileError('The road graph file’s header is damaged: import the region again.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw new GraphFileError('The road graph file’s header is damaged: import the region again.');
  }
  if (typeof parsed === 'object' && parsed !== null && (parsed as { version?: unknown }).version !== formatVersion && (parsed as { format?: unknown }).format === 'clinic-route-graph')
    throw new GraphFileError(`The road graph file was made by another version of the software (format ${String((parsed as { version?: unknown }).version)}, this one reads ${formatVersion}): import the region again.`);
  const header = headerSchema.safeParse(parsed);
  if (!header.success) throw new GraphFileError('The road graph file’s header is not as expected: import the region again.');
  const dataStart = Math.ceil((headerStart + headerLength) / 8) * 8;
  // Typed-array views need aligned offsets: copy once if the bytes arrived unaligned.
  const aligned = (bytes.byteOffset + dataStart) % 8 === 0 ? bytes : bytes.slice();
  const { dataBytes } = header.data;
  if (dataStart + dataBytes !== aligned.length) throw new GraphFileError('The road graph file is cut short or damaged: import the region again.');
  if (checksumOf(new Uint32Array(aligned.buffer, aligned.byteOffset + dataStart, dataBytes / 4)) !== header.data.checksum) throw new GraphFileError('The road graph file is damaged (its checksum does not match): import the region again.');
  const found = new Map<string, Stored>();
  for (const section of header.data.sections) {
    const start = aligned.byteOffset + dataStart + section.offset;
    const byteLength = section.length * bytesPer[section.kind];
    if (section.offset % 8 !== 0 || dataStart + section.offset + byteLength > aligned.length) throw new GraphFileError('The road graph file is cut short or damaged: import the region again.');
    const view = section.kind === 'u32' ? new Uint32Array(aligned.buffer, start, section.length) : section.kind === 'u8' ? new Uint8Array(aligned.buffer, start, section.length) : new Float64Array(aligned.buffer, start, section.length);
    found.set(section.name, view);
  }
  const get = <T extends Stored>(name: string, type: new (...args: never[]) => T, length?: number): T => {
    const array = found.get(name);
    if (!(array instanceof type) || (length !== undefined && array.length !== length)) throw new GraphFileError(`The road graph file lacks a consistent "${name}": import the region again.`);
    return array;
  };
  const { vertexCount: n, arcCount } = header.data;
  const network: RoadNetwork = {
    vertexCount: n,
    lat: get('lat', Float64Array, n),
    lon: get('lon', Float64Array, n),
    arcCount,
    arcTail: get('arcTail', Uint32Array, arcCount),
    arcHead: get('arcHead', Uint32Array, arcCount),
    weight: { distance: get('weight.distance', Uint32Array, arcCount), dry: get('weight.dry', Uint32Array, arcCount), rainy: get('weight.rainy', Uint32Array, arcCount) },
    arcClass: get('arcClass', Uint8Array, arcCount),
  };
  below(network.arcTail, n, 'arcTail');
  below(network.arcHead, n, 'arcHead');
  below(network.arcClass, roadClasses.length, 'arcClass');
  const hierarchies = {} as Record<Metric, Hierarchy>;
  for (const metric of metrics) {
    const s = header.data.shortcutCount[metric];
    const total = arcCount + s;
    const h: Hierarchy = {
      metric,
      rank: get(`${metric}.rank`, Uint32Array, n),
      shortcutCount: s,
      shortcutTail: get(`${metric}.shortcutTail`, Uint32Array, s),
      shortcutHead: get(`${metric}.shortcutHead`, Uint32Array, s),
      shortcutWeight: get(`${metric}.shortcutWeight`, Uint32Array, s),
      shortcutFirst: get(`${metric}.shortcutFirst`, Uint32Array, s),
      shortcutSecond: get(`${metric}.shortcutSecond`, Uint32Array, s),
      upFirst: get(`${metric}.upFirst`, Uint32Array, n + 1),
      upArc: get(`${metric}.upArc`, Uint32Array),
      upHead: get(`${metric}.upHead`, Uint32Array),
      upWeight: get(`${metric}.upWeight`, Uint32Array),
      downFirst: get(`${metric}.downFirst`, Uint32Array, n + 1),
      downArc: get(`${metric}.downArc`, Uint32Array),
      downTail: get(`${metric}.downTail`, Uint32Array),
      downWeight: get(`${metric}.downWeight`, Uint32Array),
    };
    below(h.shortcutTail, n, `${metric}.shortcutTail`);
    below(h.shortcutHead, n, `${metric}.shortcutHead`);
    // A shortcut stands for arcs made before it: unpacking always ends.
    for (let i = 0; i < s; i++) if (h.shortcutFirst[i]! >= arcCount + i || h.shortcutSecond[i]! >= arcCount + i) throw new GraphFileError(`The road graph file's ${metric} hierarchy is damaged: import the region again.`);
    for (const [first, arc, other, weight] of [
      [h.upFirst, h.upArc, h.upHead, h.upWeight],
      [h.downFirst, h.downArc, h.downTail, h.downWeight],
    ] as const) {
      const m = arc.length;
      if (other.length !== m || weight.length !== m || first[0] !== 0 || first[n] !== m) throw new GraphFileError(`The road graph file's ${metric} hierarchy is damaged: import the region again.`);
      for (let v = 0; v < n; v++) if (first[v]! > first[v + 1]!) throw new GraphFileError(`The road graph file's ${metric} hierarchy is damaged: import the region again.`);
      below(arc, total, `${metric} arcs`);
      below(other, n, `${metric} arcs`);
    }
    hierarchies[metric] = h;
  }
  const basemapBytes = found.get('basemap');
  let basemap = emptyBasemap();
  if (basemapBytes instanceof Uint8Array) {
    let text: unknown;
    try {
      text = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(basemapBytes));
    } catch {
      text = undefined;
    }
    const parsed = basemapLayersSchema.safeParse(text);
    if (!parsed.success) throw new GraphFileError('The road graph file’s map layers are damaged: import the region again.');
    basemap = parsed.data;
  }
  return { network, hierarchies, facilities: header.data.facilities, basemap, speeds: header.data.speeds, counts: header.data.counts };
}

function below(array: Uint32Array | Uint8Array, limit: number, name: string): void {
  for (let i = 0; i < array.length; i++) if (array[i]! >= limit) throw new GraphFileError(`The road graph file is damaged (${name}): import the region again.`);
}
