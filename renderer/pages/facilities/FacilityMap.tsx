import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { basemapFeatureSchema } from '../../../app/contract/region';
import type { Feature, FeatureCollection } from 'geojson';
import { tileArchiveUrl } from './tile-archive-source';

// The worker ships with the app (no blob: URL, no CDN): the CSP's worker-src 'self' allows it.
maplibregl.setWorkerUrl(workerUrl);

type BasemapFeature = z.infer<typeof basemapFeatureSchema>;
type LatLon = readonly [number, number];

export interface MapFacility {
  id: string;
  name: string;
  lat: number;
  lon: number;
  /** Has what was asked for (drawn full), or not (drawn faint). */
  capable: boolean;
}

/** The workstation's map background (a PMTiles archive of raster tiles), and how to read its bytes. */
export interface MapBackground {
  key: string;
  kind: 'imagery' | 'relief';
  attribution?: string;
  read: (offset: number, length: number) => Promise<ArrayBuffer>;
}

const backgroundId = 'background-tiles';
/** Text as HTML for maplibre's attribution (the archive's credit is plain text, and stays text). */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The map's instance on its container, for tests and the browser's developer tools (maplibre keeps none on the page). */
export interface MapContainer extends HTMLDivElement {
  maplibreMap?: maplibregl.Map;
}
/** The container's `data-background-tiles`: how many background tiles the map has drawn (what a test can see of a raster). */

/** Road classes, widest first, and how each is drawn; the legend reads the same list. */
export const roadStyles = [
  { classes: ['motorway', 'trunk'], color: '#c0392b', width: 4 },
  { classes: ['primary', 'secondary'], color: '#e67e22', width: 3 },
  { classes: ['tertiary', 'unclassified', 'road'], color: '#7f8c8d', width: 2 },
  { classes: ['residential', 'service', 'living_street'], color: '#b2babb', width: 1 },
] as const;
export const facilityColors = { capable: '#1e8449', other: '#85929e', chosen: '#1f4e9c', origin: '#000000', route: '#1f4e9c', water: '#aed6f1' } as const;

const emptyCollection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/**
 * The facility map, fully offline: the region's own basemap (roads by class,
 * water; place names as HTML labels, since symbol text needs glyph files no
 * clinic has offline), facilities coloured by whether they can do what is
 * asked, the route chosen, and "© OpenStreetMap contributors". A click sets
 * the place the ranking starts from. The list beside it is the keyboard's way
 * to the same choices (RankedFacilities.tsx).
 */
export function FacilityMap({ basemap, bounds, facilities, origin, chosen, route, onPickOrigin, background }: {
  basemap: readonly BasemapFeature[];
  bounds: readonly [number, number, number, number] | undefined;
  facilities: readonly MapFacility[];
  origin: LatLon | undefined;
  chosen: string | undefined;
  route: readonly LatLon[] | undefined;
  onPickOrigin: (point: LatLon) => void;
  background?: MapBackground | undefined;
}) {
  const { t } = useTranslation();
  const container = useRef<MapContainer>(null);
  const map = useRef<maplibregl.Map | undefined>(undefined);
  const styled = useRef(false);
  const pick = useRef(onPickOrigin);
  useEffect(() => {
    pick.current = onPickOrigin;
  }, [onPickOrigin]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = new maplibregl.Map({
      container: element,
      style: {
        version: 8,
        sources: {
          basemap: { type: 'geojson', data: emptyCollection() },
          facilities: { type: 'geojson', data: emptyCollection() },
          route: { type: 'geojson', data: emptyCollection() },
          origin: { type: 'geojson', data: emptyCollection() },
        },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } },
          { id: 'water-areas', type: 'fill', source: 'basemap', filter: ['==', ['get', 'layer'], 'water-area'], paint: { 'fill-color': facilityColors.water } },
          { id: 'water-lines', type: 'line', source: 'basemap', filter: ['==', ['get', 'layer'], 'water-line'], paint: { 'line-color': facilityColors.water, 'line-width': 1.5 } },
          ...[...roadStyles].reverse().map((style, i) => ({
            id: `roads-${roadStyles.length - 1 - i}`,
            type: 'line' as const,
            source: 'basemap',
            filter: ['all', ['==', ['get', 'layer'], 'road'], ['in', ['get', 'class'], ['literal', [...style.classes]]]] as maplibregl.FilterSpecification,
            paint: { 'line-color': style.color, 'line-width': style.width },
          })),
          { id: 'route', type: 'line', source: 'route', paint: { 'line-color': facilityColors.route, 'line-width': 5, 'line-opacity': 0.8 } },
          {
            id: 'facilities',
            type: 'circle',
            source: 'facilities',
            paint: {
              'circle-radius': ['case', ['get', 'chosen'], 9, 6],
              'circle-color': ['case', ['get', 'chosen'], facilityColors.chosen, ['get', 'capable'], facilityColors.capable, facilityColors.other],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 2,
            },
          },
          { id: 'origin', type: 'circle', source: 'origin', paint: { 'circle-radius': 7, 'circle-color': facilityColors.origin, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
        ],
      },
      attributionControl: { customAttribution: '© OpenStreetMap contributors', compact: false },
    });
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    instance.on('click', (event) => pick.current([event.lngLat.lat, event.lngLat.lng]));
    instance.once('load', () => {
      styled.current = true;
    });
    let backgroundTiles = 0;
    instance.on('data', (event) => {
      if (event.dataType === 'source' && 'sourceId' in event && event.sourceId === backgroundId && 'tile' in event && event.tile) element.dataset['backgroundTiles'] = String(++backgroundTiles);
    });
    map.current = instance;
    element.maplibreMap = instance;
    return () => {
      instance.remove();
      map.current = undefined;
      styled.current = false;
      delete element.maplibreMap;
    };
  }, []);

  /**
   * Runs `draw` once the style's sources exist: now, or at the map's one
   * `load` event. (`isStyleLoaded()` is false again whenever a source is
   * still being processed, so it cannot tell whether `load` has passed.)
   */
  const whenLoaded = (draw: (instance: maplibregl.Map) => void) => {
    const instance = map.current;
    if (!instance) return;
    if (styled.current) draw(instance);
    else instance.once('load', () => draw(instance));
  };
  const setData = (instance: maplibregl.Map, source: string, data: FeatureCollection): void => {
    void instance.getSource<maplibregl.GeoJSONSource>(source)?.setData(data);
  };

  useEffect(() => {
    whenLoaded((instance) => {
      const drawnHere: Feature[] = basemap.filter((f) => f.properties.layer !== 'place');
      setData(instance, 'basemap', { type: 'FeatureCollection', features: drawnHere });
      if (bounds) instance.fitBounds([bounds[0], bounds[1], bounds[2], bounds[3]], { padding: 20, duration: 0 });
    });
    // Place names as HTML labels (see above): towns and villages only, so a large region stays legible.
    const labels = basemap
      .filter((f) => f.properties.layer === 'place' && f.geometry.type === 'Point' && ['city', 'town', 'village'].includes(f.properties.kind ?? ''))
      .map((f) => {
        const element = document.createElement('span');
        element.className = 'map-place-label';
        element.textContent = f.properties.name ?? '';
        return new maplibregl.Marker({ element }).setLngLat(f.geometry.coordinates as [number, number]);
      });
    for (const label of labels) if (map.current) label.addTo(map.current);
    return () => labels.forEach((label) => label.remove());
  }, [basemap, bounds]);

  useEffect(() => {
    whenLoaded((instance) =>
      setData(instance, 'facilities', {
        type: 'FeatureCollection',
        features: facilities.map((f) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [f.lon, f.lat] }, properties: { id: f.id, name: f.name, capable: f.capable, chosen: f.id === chosen } })),
      }),
    );
  }, [facilities, chosen]);

  useEffect(() => {
    whenLoaded((instance) => {
      setData(instance, 'route', route && route.length >= 2 ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: route.map(([lat, lon]) => [lon, lat]) }, properties: {} }] } : emptyCollection());
      setData(instance, 'origin', origin ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [origin[1], origin[0]] }, properties: {} }] } : emptyCollection());
    });
  }, [route, origin]);

  // The background under everything else: imagery as it is, elevation drawn as shaded relief.
  const current = useRef(background);
  useEffect(() => {
    current.current = background;
  }, [background]);
  const [backgroundKey, backgroundKind, backgroundCredit] = [background?.key, background?.kind, background?.attribution];
  useEffect(() => {
    if (backgroundKey === undefined || backgroundKind === undefined) return;
    whenLoaded((instance) => {
      const url = tileArchiveUrl(backgroundKey, (offset, length) => current.current!.read(offset, length));
      const attribution = backgroundCredit ? { attribution: escaped(backgroundCredit) } : {};
      instance.addSource(backgroundId, backgroundKind === 'relief' ? { type: 'raster-dem', url, encoding: 'terrarium', ...attribution } : { type: 'raster', url, ...attribution });
      instance.addLayer(backgroundKind === 'relief' ? { id: backgroundId, type: 'hillshade', source: backgroundId } : { id: backgroundId, type: 'raster', source: backgroundId, paint: { 'raster-opacity': 0.85 } }, 'water-areas');
    });
    return () => {
      const instance = map.current;
      if (instance?.getLayer(backgroundId)) instance.removeLayer(backgroundId);
      if (instance?.getSource(backgroundId)) instance.removeSource(backgroundId);
    };
  }, [backgroundKey, backgroundKind, backgroundCredit]);

  return <div ref={container} className="facility-map" data-testid="facility-map" role="application" aria-label={t('facilities.map.label')} />;
}
