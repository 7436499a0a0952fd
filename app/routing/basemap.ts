import { z } from 'zod';
import { roadClasses } from './road-classes';
import type { RoadNetwork } from './road-network';

/**
 * What the map draws of a region besides its roads, taken from the same
 * extract at import (sync/hub/region/osm-extract.ts) and kept in the graph
 * file: water (lakes and reservoirs as areas, rivers and streams as lines)
 * and named places. With the network's roads, by class, it is a basemap that
 * needs no tile server and no network (`basemapFeatures`).
 */

const position = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]);
const line = z.array(position).min(2).max(100_000);

export const placeKinds = ['city', 'town', 'village', 'hamlet', 'suburb', 'locality'] as const;

export const basemapLayersSchema = z.strictObject({
  waterAreas: z.array(line).max(200_000),
  waterLines: z.array(line).max(200_000),
  places: z.array(z.strictObject({ name: z.string().min(1).max(200), kind: z.enum(placeKinds), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })).max(200_000),
});
export type BasemapLayers = z.infer<typeof basemapLayersSchema>;

export const emptyBasemap = (): BasemapLayers => ({ waterAreas: [], waterLines: [], places: [] });

type Tags = Readonly<Record<string, string>>;

/** Whether a closed way is water to fill (OSM wiki: natural=water, the older waterway=riverbank, reservoirs and basins). */
export const isWaterArea = (tags: Tags): boolean => tags.natural === 'water' || tags.waterway === 'riverbank' || tags.landuse === 'reservoir' || tags.landuse === 'basin';
/** Whether a way is a watercourse to draw as a line. */
export const isWaterLine = (tags: Tags): boolean => ['river', 'stream', 'canal'].includes(tags.waterway ?? '');
/** A named place node as the map labels it, or undefined. */
export function placeOf(tags: Tags, lat: number, lon: number): BasemapLayers['places'][number] | undefined {
  const kind = placeKinds.find((known) => known === tags.place);
  const name = tags.name?.trim();
  return kind && name ? { name: name.slice(0, 200), kind, lat, lon } : undefined;
}

/** A GeoJSON feature as maplibre reads it: coordinates are [longitude, latitude]. */
export interface BasemapFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Polygon'; coordinates: [number, number][][] } | { type: 'Point'; coordinates: [number, number] };
  properties: { layer: 'road' | 'water-area' | 'water-line' | 'place'; class?: string; name?: string; kind?: string };
}

/**
 * The basemap as GeoJSON features: each road segment once (a two-way road's
 * pair of arcs is one line) with its class, water, and places.
 */
export function basemapFeatures(network: RoadNetwork, layers: BasemapLayers): BasemapFeature[] {
  const features: BasemapFeature[] = [];
  const drawn = new Set<number>();
  const n = network.vertexCount;
  for (let arc = 0; arc < network.arcCount; arc++) {
    const tail = network.arcTail[arc]!;
    const head = network.arcHead[arc]!;
    const key = Math.min(tail, head) * n + Math.max(tail, head);
    if (drawn.has(key)) continue;
    drawn.add(key);
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [[network.lon[tail]!, network.lat[tail]!], [network.lon[head]!, network.lat[head]!]] },
      properties: { layer: 'road', class: roadClasses[network.arcClass[arc]!] ?? 'road' },
    });
  }
  const lonLat = (points: readonly (readonly [number, number])[]) => points.map(([lat, lon]) => [lon, lat] as [number, number]);
  for (const area of layers.waterAreas) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [lonLat(area)] }, properties: { layer: 'water-area' } });
  for (const course of layers.waterLines) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: lonLat(course) }, properties: { layer: 'water-line' } });
  for (const place of layers.places) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [place.lon, place.lat] }, properties: { layer: 'place', name: place.name, kind: place.kind } });
  return features;
}
