import { z } from 'zod';
import { latLonSchema } from '../routing/geo';

/**
 * Routing on this workstation's copy of its region's road graph, kept by the
 * main process (main/region/region-service.ts, fetched from the hub): what
 * the map and the referral screens ask, and what they are answered.
 */

const point = latLonSchema;
const by = z.enum(['distance', 'time']);
const season = z.enum(['dry', 'rainy']);

export const regionStatusSchema = z
  .object({
    /** Whether a graph is here to route on. */
    available: z.boolean(),
    vertices: z.number().int().nonnegative().optional(),
    arcs: z.number().int().nonnegative().optional(),
    /** When this workstation last got the graph from the hub. */
    fetchedAt: z.iso.datetime().optional(),
    /** Why there is none, or why the last fetch failed, in plain words. */
    problem: z.string().max(500).optional(),
  })
  .strict();
export type RegionStatus = z.infer<typeof regionStatusSchema>;

export const routeParamsSchema = z.object({ from: point, to: point, by, season: season.default('dry') }).strict();

/** A route's line is at most this many points (a longer one is thinned evenly, ends kept): enough to draw, small enough to send. */
export const maxRoutePoints = 20_000;

export const routeAnswerSchema = z.discriminatedUnion('found', [
  z
    .object({
      found: z.literal(true),
      distanceM: z.number().nonnegative(),
      durationS: z.number().nonnegative(),
      path: z.array(point).max(maxRoutePoints),
      /** How far each end lies from the road node the route starts or ends at. */
      startSnapM: z.number().nonnegative(),
      endSnapM: z.number().nonnegative(),
    })
    .strict(),
  z.object({ found: z.literal(false), reason: z.enum(['no_route', 'off_network', 'no_graph']), straightLineM: z.number().nonnegative() }).strict(),
]);
export type RouteAnswerResult = z.infer<typeof routeAnswerSchema>;

export const rankParamsSchema = z
  .object({
    from: point,
    places: z.array(z.object({ id: z.string().min(1).max(100), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict()).max(20_000),
    count: z.number().int().min(1).max(100),
    by,
    season: season.default('dry'),
  })
  .strict();

export const rankAnswerSchema = z
  .object({
    /** Ranked by the chosen metric; empty when there is no graph or the point is off the network. */
    byRoad: z.array(z.object({ id: z.string(), distanceM: z.number().nonnegative(), durationS: z.number().nonnegative() }).strict()),
    byStraightLine: z.array(z.object({ id: z.string(), distanceM: z.number().nonnegative() }).strict()),
    /** Why `byRoad` is empty, when it is. */
    byRoadMissing: z.enum(['no_graph', 'off_network']).optional(),
  })
  .strict();

/** Basemap features (app/routing/basemap.ts) a call carries at most: well under the API's 4 MiB a message. */
export const maxBasemapFeatures = 5000;

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export const basemapFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    geometry: z.discriminatedUnion('type', [
      z.object({ type: z.literal('LineString'), coordinates: z.array(lonLat).min(2) }).strict(),
      z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lonLat).min(4)).min(1) }).strict(),
      z.object({ type: z.literal('Point'), coordinates: lonLat }).strict(),
    ]),
    properties: z
      .object({ layer: z.enum(['road', 'water-area', 'water-line', 'place']), class: z.string().max(40).optional(), name: z.string().max(200).optional(), kind: z.string().max(40).optional() })
      .strict(),
  })
  .strict();

export const basemapPageSchema = z
  .object({
    /** Every feature of the region's basemap, and this page of them from `offset`. */
    total: z.number().int().nonnegative(),
    features: z.array(basemapFeatureSchema).max(maxBasemapFeatures),
    /** The region's extent, [west, south, east, north], to frame the map. */
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  })
  .strict();

/**
 * A PMTiles archive of raster tiles a clinic shows under its roads
 * (main/region/tile-archive.ts): a picture of the land (`imagery`: aerial
 * photographs, a scanned map) or its elevation drawn as shaded relief
 * (`relief`: Terrarium-encoded heights, as Mapterhorn publishes them). The
 * administrator says which when adding the file: the archive does not.
 */
export const tileArchiveKinds = ['imagery', 'relief'] as const;
export const rasterTileTypes = ['png', 'jpeg', 'webp', 'avif'] as const;
/** The most one read of an archive carries: a large raster tile is a few hundred kilobytes. */
export const maxTileReadBytes = 1024 * 1024;
const tileArchiveKey = z.string().regex(/^tiles-[0-9]{1,16}$/);
const zoom = z.number().int().min(0).max(30);

export const tileArchiveStatusSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(false), problem: z.string().max(500).optional() }).strict(),
  z
    .object({
      available: z.literal(true),
      /** Changes whenever another archive is added, so nothing read from the last one is taken for this one's. */
      key: tileArchiveKey,
      kind: z.enum(tileArchiveKinds),
      tileType: z.enum(rasterTileTypes),
      minZoom: zoom,
      maxZoom: zoom,
      /** West, south, east, north. */
      bounds: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)]),
      /** The archive's own credit, as plain text (never its HTML). */
      attribution: z.string().max(300).optional(),
      bytes: z.number().int().nonnegative(),
      addedAt: z.iso.datetime(),
    })
    .strict(),
]);
export type TileArchiveStatus = z.infer<typeof tileArchiveStatusSchema>;

export const tileArchiveAddSchema = z.object({ path: z.string().trim().min(1).max(4096), kind: z.enum(tileArchiveKinds) }).strict();
export const tileReadParamsSchema = z.object({ key: tileArchiveKey, offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), length: z.number().int().min(1).max(maxTileReadBytes) }).strict();
/** The bytes read, as base64 (both transports carry JSON). */
export const tileReadAnswerSchema = z.object({ data: z.base64().max(Math.ceil(maxTileReadBytes / 3) * 4) }).strict();
