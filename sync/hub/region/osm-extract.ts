import { createReadStream } from 'node:fs';
import parser, { type OsmItem } from 'osm-pbf-parser';
import { facilityKindOf, meanPosition, osmFacility, type OsmFacility } from '../../../app/facilities/osm-facility';
import { emptyBasemap, isWaterArea, isWaterLine, placeOf, type BasemapLayers } from '../../../app/routing/basemap';
import { drivableWay } from '../../../app/routing/osm-roads';
import type { RegionExtract } from '../../../app/routing/road-graph';
import type { NetworkWay } from '../../../app/routing/road-network';
import { checkPbfFraming, OsmExtractError } from './pbf-framing';

/**
 * Reads what a region's graph and directory need from an OSM PBF extract, in
 * two passes so only the nodes that matter are kept in memory: first the ways
 * (drivable roads, facilities drawn as areas) and which nodes they use, then
 * those nodes' positions and the facilities drawn as points.
 */

export { OsmExtractError } from './pbf-framing';

/** Calls `visit` with every element of the file, in file order. */
function eachElement(path: string, visit: (item: OsmItem) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const osm = parser();
    const input = createReadStream(path);
    const fail = () => reject(new OsmExtractError('The extract is damaged: one of its blocks could not be decoded. Download it again.'));
    input.on('error', fail);
    osm.on('error', fail);
    osm.on('data', (items: OsmItem[]) => {
      try {
        for (const item of items) visit(item);
      } catch (error) {
        reject(error instanceof Error ? error : new OsmExtractError('The extract could not be read.'));
        osm.destroy();
      }
    });
    osm.on('end', resolve);
    input.pipe(osm);
  });
}

export interface ReadExtract extends RegionExtract {
  ways: NetworkWay[];
  basemap: BasemapLayers;
  /** Facilities drawn as areas whose nodes lie outside the extract: not placed. */
  facilitiesWithoutPosition: number;
}

export async function readOsmExtract(path: string): Promise<ReadExtract> {
  await checkPbfFraming(path);
  const ways: NetworkWay[] = [];
  const facilityWays: Extract<OsmItem, { type: 'way' }>[] = [];
  const waterWays: { refs: number[]; area: boolean }[] = [];
  const needed = new Set<number>();
  await eachElement(path, (item) => {
    if (item.type !== 'way') return;
    const drivable = drivableWay(item.tags);
    if (drivable && item.refs.length >= 2) {
      ways.push({ nodes: item.refs, drivable });
      for (const node of item.refs) needed.add(node);
    }
    if (facilityKindOf(item.tags) !== undefined) {
      facilityWays.push(item);
      for (const node of item.refs) needed.add(node);
    }
    const area = item.refs.length >= 4 && item.refs[0] === item.refs.at(-1) && isWaterArea(item.tags);
    if (area || isWaterLine(item.tags)) {
      waterWays.push({ refs: item.refs, area });
      for (const node of item.refs) needed.add(node);
    }
  });
  const basemap = emptyBasemap();
  const positions = new Map<number, readonly [number, number]>();
  const facilities: OsmFacility[] = [];
  await eachElement(path, (item) => {
    if (item.type !== 'node') return;
    if (needed.has(item.id)) positions.set(item.id, [item.lat, item.lon]);
    const facility = osmFacility('node', item.id, item.tags, [item.lat, item.lon], item.info);
    if (facility) facilities.push(facility);
    const place = placeOf(item.tags, item.lat, item.lon);
    if (place) basemap.places.push(place);
  });
  const coordinate = (node: number) => positions.get(node);
  let facilitiesWithoutPosition = 0;
  for (const way of facilityWays) {
    const position = meanPosition(way.refs, coordinate);
    const facility = position && osmFacility('way', way.id, way.tags, position, way.info);
    if (facility) facilities.push(facility);
    else facilitiesWithoutPosition++;
  }
  for (const { refs, area } of waterWays) {
    const line = refs.map(coordinate).filter((at): at is readonly [number, number] => at !== undefined).map(([lat, lon]) => [lat, lon] as [number, number]);
    // A lake cut by the extract's border is drawn as far as it lies inside; a line needs two points, an area four.
    if (area && line.length >= 4) basemap.waterAreas.push(line);
    else if (!area && line.length >= 2) basemap.waterLines.push(line);
  }
  return { ways, coordinate, facilities, facilitiesWithoutPosition, basemap };
}
