import type { FacilityCapability, FacilityKind } from './capabilities';

type OsmTags = Readonly<Record<string, string>>;

/**
 * A health facility as OpenStreetMap describes it (amenity=hospital|clinic|
 * doctors|pharmacy, or any healthcare=*), with the capabilities its tags
 * state and nothing guessed: OSM has no tag for emergency obstetric care or
 * oxygen, so those come from the hub operator or a clinic's own knowledge.
 */
export interface OsmFacility {
  /** `node/<id>` or `way/<id>`, as OSM names its elements. */
  id: string;
  kind: FacilityKind;
  name?: string;
  lat: number;
  lon: number;
  capabilities: FacilityCapability[];
  beds?: number;
  phone?: string;
  openingHours?: string;
  operator?: string;
  /** When the element was last edited in OSM, and by whom: when its capabilities were last confirmed. */
  confirmedAt?: string;
  confirmedBy?: string;
}

const kindByAmenity: Record<string, FacilityKind> = { hospital: 'hospital', clinic: 'clinic', doctors: 'doctors', pharmacy: 'pharmacy' };
const kindByHealthcare: Record<string, FacilityKind> = {
  hospital: 'hospital',
  clinic: 'clinic',
  centre: 'health-centre',
  health_post: 'health-post',
  doctor: 'doctors',
  birthing_center: 'birthing-centre',
  midwife: 'birthing-centre',
  laboratory: 'laboratory',
  pharmacy: 'pharmacy',
};

/** The facility kind of an element's tags, or undefined when it is not a health facility. */
export function facilityKindOf(tags: OsmTags): FacilityKind | undefined {
  const healthcare = tags.healthcare;
  if (healthcare !== undefined && healthcare !== 'no') return kindByHealthcare[healthcare] ?? kindByAmenity[tags.amenity ?? ''] ?? 'other';
  return kindByAmenity[tags.amenity ?? ''];
}

/** `healthcare:speciality` values (OSM wiki) that state a capability. */
const capabilityBySpeciality: Record<string, FacilityCapability> = {
  surgery: 'surgery',
  general_surgery: 'surgery',
  trauma: 'surgery',
  paediatrics: 'paediatrics',
  paediatric: 'paediatrics',
  pediatrics: 'paediatrics',
  radiology: 'x-ray',
  diagnostic_radiology: 'x-ray',
  pathology: 'laboratory',
  clinical_pathology: 'laboratory',
  emergency: 'emergency',
  transfusion: 'blood-bank',
};

function capabilitiesOf(tags: OsmTags, kind: FacilityKind): FacilityCapability[] {
  const found = new Set<FacilityCapability>();
  for (const value of (tags['healthcare:speciality'] ?? '').split(';')) {
    const capability = capabilityBySpeciality[value.trim().toLowerCase()];
    if (capability) found.add(capability);
  }
  if (tags.emergency === 'yes') found.add('emergency');
  if (kind === 'laboratory') found.add('laboratory');
  if (tags['healthcare:laboratory'] === 'yes' || tags.laboratory === 'yes') found.add('laboratory');
  return [...found].sort();
}

/** A whole number of beds, or undefined for anything else ("approx. 40", "yes"). */
function bedsOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export interface OsmElementInfo {
  timestamp?: number;
  user?: string;
}

/** What a facility's tags say (OSM's, or healthsites.io's columns, which carry the same names), or undefined when they are not a facility's. */
export function describedFacility(tags: OsmTags): Omit<OsmFacility, 'id' | 'lat' | 'lon' | 'confirmedAt' | 'confirmedBy'> | undefined {
  const kind = facilityKindOf(tags);
  if (kind === undefined) return undefined;
  const text = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);
  const name = text(tags.name);
  const beds = bedsOf(tags.beds);
  const phone = text(tags.phone ?? tags['contact:phone']);
  const openingHours = text(tags.opening_hours);
  const operator = text(tags.operator);
  return {
    kind,
    capabilities: capabilitiesOf(tags, kind),
    ...(name !== undefined ? { name } : {}),
    ...(beds !== undefined ? { beds } : {}),
    ...(phone !== undefined ? { phone } : {}),
    ...(openingHours !== undefined ? { openingHours } : {}),
    ...(operator !== undefined ? { operator } : {}),
  };
}

/** The element as a facility, at `position` (a way's is the mean of its distinct nodes, see `meanPosition`), or undefined when it is not one. */
export function osmFacility(type: 'node' | 'way', id: number, tags: OsmTags, position: readonly [number, number], info?: OsmElementInfo): OsmFacility | undefined {
  const described = describedFacility(tags);
  if (described === undefined) return undefined;
  return {
    id: `${type}/${id}`,
    ...described,
    lat: position[0],
    lon: position[1],
    ...(info?.timestamp !== undefined ? { confirmedAt: new Date(info.timestamp).toISOString() } : {}),
    ...(info?.user !== undefined ? { confirmedBy: `OpenStreetMap user ${info.user}` } : {}),
  };
}

/** The mean of a way's distinct node positions (a closed way repeats its first node), or undefined when none is known. */
export function meanPosition(nodes: readonly number[], coordinate: (node: number) => readonly [number, number] | undefined): [number, number] | undefined {
  let lat = 0;
  let lon = 0;
  let count = 0;
  for (const node of new Set(nodes)) {
    const at = coordinate(node);
    if (at === undefined) continue;
    lat += at[0];
    lon += at[1];
    count++;
  }
  return count === 0 ? undefined : [lat / count, lon / count];
}
