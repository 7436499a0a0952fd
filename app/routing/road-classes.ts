/**
 * The road classes a car can use, their default speeds, and the rainy
 * season's slowdown (issue 16). A class's `_link` ramps run at the speed of
 * their road. Speeds are part of an imported graph: changing one means a new
 * import, since the hierarchies are built for the weights they were given.
 */

export const roadClasses = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'road', 'residential', 'service', 'living_street'] as const;
export type RoadClass = (typeof roadClasses)[number];

/** km/h on a dry road. */
export type RoadSpeeds = Record<RoadClass, number>;

export const defaultSpeedsKmh: RoadSpeeds = {
  motorway: 100,
  trunk: 80,
  primary: 60,
  secondary: 50,
  tertiary: 40,
  unclassified: 30,
  road: 30,
  residential: 25,
  service: 15,
  living_street: 10,
};

/** Rain turns unpaved surfaces, and unclassified roads nobody tagged with a surface, slow: their speed is multiplied by this. */
export const rainySeasonFactor = 0.6;

/** OSM `surface` values that rain makes slow. */
const unpavedSurfaces = new Set(['unpaved', 'dirt', 'gravel', 'ground', 'earth', 'mud', 'sand', 'fine_gravel', 'compacted', 'grass', 'pebblestone']);

/** The class of a car-routable `highway` value (`primary_link` → primary), or undefined for anything a car does not drive on. */
export function roadClassOf(highway: string | undefined): RoadClass | undefined {
  if (highway === undefined) return undefined;
  const base = highway.endsWith('_link') ? highway.slice(0, -'_link'.length) : highway;
  return (roadClasses as readonly string[]).includes(base) && (base === highway || ['motorway', 'trunk', 'primary', 'secondary', 'tertiary'].includes(base)) ? (base as RoadClass) : undefined;
}

/** Whether the rainy season slows this road: an unpaved surface, or an unclassified road without a surface tag. */
export function slowInRain(roadClass: RoadClass, surface: string | undefined): boolean {
  if (surface === undefined) return roadClass === 'unclassified';
  return unpavedSurfaces.has(surface);
}

/**
 * Speeds given at import over the defaults, checked: each a known class and a
 * speed a car can have. Throws a RangeError that says which one is wrong.
 */
export function speedsWith(overrides: Readonly<Record<string, number>>): RoadSpeeds {
  const speeds = { ...defaultSpeedsKmh };
  for (const [name, kmh] of Object.entries(overrides)) {
    if (!(roadClasses as readonly string[]).includes(name)) throw new RangeError(`"${name}" is not a road class; the classes are ${roadClasses.join(', ')}.`);
    if (!Number.isFinite(kmh) || kmh < 1 || kmh > 200) throw new RangeError(`The speed for ${name} must be between 1 and 200 km/h; ${kmh} was given.`);
    speeds[name as RoadClass] = kmh;
  }
  return speeds;
}
