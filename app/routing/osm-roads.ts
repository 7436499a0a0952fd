import { roadClassOf, slowInRain, type RoadClass } from './road-classes';

/**
 * How an OSM way is driven: whether a car may use it at all, in which
 * directions, and how fast the rain makes it. Tag meanings follow the OSM
 * wiki (Key:highway, Key:oneway, Key:access, Tag:junction=roundabout).
 */

export type OsmTags = Readonly<Record<string, string>>;

/** Which ways along the node order a car may take. */
export type Travel = 'both' | 'forward' | 'backward';

export interface DrivableWay {
  roadClass: RoadClass;
  travel: Travel;
  slowInRain: boolean;
}

const closed = new Set(['no', 'private', 'agricultural', 'forestry', 'delivery', 'customers', 'emergency']);
const open = new Set(['yes', 'designated', 'destination', 'permissive']);

/** Motor access, most specific tag first (motorcar, motor_vehicle, vehicle, access): a specific "yes" opens what a general "no" closed. */
function carMayEnter(tags: OsmTags): boolean {
  for (const key of ['motorcar', 'motor_vehicle', 'vehicle', 'access']) {
    const value = tags[key];
    if (value !== undefined && open.has(value)) return true;
    if (value !== undefined && closed.has(value)) return false;
  }
  return true;
}

function travelOf(tags: OsmTags, roadClass: RoadClass): Travel {
  const oneway = tags.oneway;
  if (oneway === 'yes' || oneway === 'true' || oneway === '1') return 'forward';
  if (oneway === '-1' || oneway === 'reverse') return 'backward';
  if (oneway === 'no' || oneway === 'false' || oneway === '0') return 'both';
  // Implied one-way: roundabouts, motorways and their ramps (a ramp taken as two-way could send a car up it the wrong way;
  // taken as one-way, the worst is a longer route). A `reversible` or `alternating` one-way is two-way: it can be driven, at times.
  const junction = tags.junction;
  if (junction === 'roundabout' || junction === 'circular') return 'forward';
  if (roadClass === 'motorway') return 'forward';
  return 'both';
}

/** The way as a car drives it, or undefined when a car cannot (not a road, an area, closed to cars, under construction). */
export function drivableWay(tags: OsmTags): DrivableWay | undefined {
  const roadClass = roadClassOf(tags.highway);
  if (roadClass === undefined || tags.area === 'yes' || !carMayEnter(tags)) return undefined;
  return { roadClass, travel: travelOf(tags, roadClass), slowInRain: slowInRain(roadClass, tags.surface) };
}
