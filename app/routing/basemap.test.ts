import { describe, expect, it } from 'vitest';
import { basemapFeatures, isWaterArea, isWaterLine, placeOf } from './basemap';
import { defaultSpeedsKmh } from './road-classes';
import { buildRoadNetwork } from './road-network';

describe('the region’s basemap', () => {
  it('draws each road segment once with its class, and water and places, in GeoJSON’s longitude-first order', () => {
    const points: [number, number][] = [[42.5, 1.5], [42.501, 1.5], [42.502, 1.501]];
    const { network } = buildRoadNetwork(
      [
        { nodes: [0, 1], drivable: { roadClass: 'primary', travel: 'both', slowInRain: false } },
        { nodes: [1, 2], drivable: { roadClass: 'residential', travel: 'forward', slowInRain: false } },
      ],
      (node) => points[node],
      defaultSpeedsKmh,
    );
    const features = basemapFeatures(network, {
      waterAreas: [[[42.5, 1.6], [42.51, 1.6], [42.51, 1.61], [42.5, 1.6]]],
      waterLines: [[[42.4, 1.4], [42.41, 1.41]]],
      places: [{ name: 'Andorra la Vella', kind: 'town', lat: 42.507, lon: 1.521 }],
    });
    const roads = features.filter((f) => f.properties.layer === 'road');
    expect(roads.map((f) => [f.properties.class, f.geometry.coordinates])).toEqual([
      ['primary', [[1.5, 42.5], [1.5, 42.501]]],
      ['residential', [[1.5, 42.501], [1.501, 42.502]]],
    ]);
    expect(features.find((f) => f.properties.layer === 'place')).toMatchObject({ geometry: { type: 'Point', coordinates: [1.521, 42.507] }, properties: { name: 'Andorra la Vella', kind: 'town' } });
    expect(features.find((f) => f.properties.layer === 'water-area')?.geometry.type).toBe('Polygon');
    expect(features.find((f) => f.properties.layer === 'water-line')?.geometry.coordinates).toEqual([[1.4, 42.4], [1.41, 42.41]]);
  });

  it('reads water and places from OSM tags', () => {
    expect(isWaterArea({ natural: 'water' })).toBe(true);
    expect(isWaterArea({ landuse: 'reservoir' })).toBe(true);
    expect(isWaterArea({ natural: 'wood' })).toBe(false);
    expect(isWaterLine({ waterway: 'river' })).toBe(true);
    expect(isWaterLine({ waterway: 'dam' })).toBe(false);
    expect(placeOf({ place: 'village', name: ' Canillo ' }, 42.56, 1.6)).toEqual({ name: 'Canillo', kind: 'village', lat: 42.56, lon: 1.6 });
    expect(placeOf({ place: 'village' }, 0, 0)).toBeUndefined();
    expect(placeOf({ place: 'island', name: 'X' }, 0, 0)).toBeUndefined();
  });
});
