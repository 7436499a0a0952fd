import { directoryEntryId, type DirectoryEntryContent } from './directory-entry';
import { describedFacility } from './osm-facility';

/**
 * Facilities from a healthsites.io export (https://healthsites.io, its
 * CSV and GeoJSON downloads on HDX): its columns are OSM's tags under the
 * same names (amenity, healthcare, name, operator, opening_hours, beds,
 * emergency), plus `speciality` (`;`-separated, as healthcare:speciality),
 * `contact_number`, `addr_full`, `operational_status`, the element's
 * `osm_id`/`osm_type`, the last edit's `changeset_timestamp`/`changeset_user`,
 * and the position as `X`/`Y` (CSV) or the feature's point (GeoJSON).
 * A row that cannot be placed or is not a facility is skipped with its
 * reason; nothing in it is guessed.
 */

export type HealthsitesRow = Readonly<Record<string, string | undefined>>;

export interface HealthsitesResult {
  entries: DirectoryEntryContent[];
  skipped: { row: number; reason: string }[];
}

const numberIn = (row: HealthsitesRow, names: readonly string[]): number | undefined => {
  for (const name of names) {
    const value = row[name];
    if (value !== undefined && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
};

const closed = new Set(['closed', 'non-operational', 'non_operational', 'abandoned', 'disused']);

/** `position`: the GeoJSON point's [lat, lon] when the row came from a feature. Rows are numbered from 1, as a spreadsheet shows them after its header. */
export function entriesFromHealthsites(rows: readonly { row: HealthsitesRow; position?: readonly [number, number] }[], importedAt: string): HealthsitesResult {
  const entries: DirectoryEntryContent[] = [];
  const skipped: HealthsitesResult['skipped'] = [];
  const seen = new Set<string>();
  rows.forEach(({ row, position }, index) => {
    const number = index + 1;
    const lat = position?.[0] ?? numberIn(row, ['Y', 'y', 'lat', 'latitude']);
    const lon = position?.[1] ?? numberIn(row, ['X', 'x', 'lon', 'lng', 'longitude']);
    if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) return void skipped.push({ row: number, reason: 'no valid position' });
    if (closed.has((row.operational_status ?? '').trim().toLowerCase())) return void skipped.push({ row: number, reason: 'marked as not operating' });
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) if (value !== undefined) tags[key] = value;
    if (row.speciality !== undefined) tags['healthcare:speciality'] = row.speciality;
    if (row.contact_number !== undefined) tags.phone = row.contact_number;
    const described = describedFacility(tags);
    if (!described) return void skipped.push({ row: number, reason: 'not a health facility (no amenity or healthcare value we know)' });
    const osmType = row.osm_type?.trim().toLowerCase();
    const osmId = row.osm_id?.trim();
    const ref = osmId && /^-?\d+$/.test(osmId) && (osmType === 'node' || osmType === 'way' || osmType === 'relation') ? `${osmType}/${osmId.replace(/^-/, '')}` : row.uuid?.trim() || `row-${number}`;
    const id = directoryEntryId('healthsites', ref);
    if (seen.has(id)) return void skipped.push({ row: number, reason: `a second row for ${ref}` });
    seen.add(id);
    const stamp = row.changeset_timestamp?.trim();
    const confirmedAt = stamp && !Number.isNaN(Date.parse(stamp)) ? new Date(stamp).toISOString() : importedAt;
    const confirmedBy = row.changeset_user?.trim() ? `healthsites.io / OpenStreetMap user ${row.changeset_user.trim()}` : 'healthsites.io';
    const address = row.addr_full?.trim();
    const { capabilities, ...rest } = described;
    entries.push({
      id,
      ...rest,
      lat,
      lon,
      capabilities: Object.fromEntries(capabilities.map((capability) => [capability, { available: true, confirmedAt, confirmedBy }])),
      ...(address ? { address: address.slice(0, 500) } : {}),
      source: { kind: 'healthsites', ref },
      updatedAt: importedAt,
    });
  });
  return { entries, skipped };
}

/** The rows of a healthsites.io GeoJSON FeatureCollection, or a TypeError saying why it is not one. */
export function healthsitesGeoJsonRows(value: unknown): { row: HealthsitesRow; position?: readonly [number, number] }[] {
  const collection = value as { type?: unknown; features?: unknown };
  if (typeof value !== 'object' || value === null || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) throw new TypeError('This is not a GeoJSON FeatureCollection.');
  return collection.features.map((feature: unknown) => {
    const f = (typeof feature === 'object' && feature !== null ? feature : {}) as { properties?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null };
    const properties = typeof f.properties === 'object' && f.properties !== null ? f.properties : {};
    const row: Record<string, string> = {};
    for (const [key, value] of Object.entries(properties)) if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') row[key] = String(value);
    const coordinates: unknown[] = f.geometry?.type === 'Point' && Array.isArray(f.geometry.coordinates) ? (f.geometry.coordinates as unknown[]) : [];
    const [lon, lat] = coordinates;
    return typeof lat === 'number' && typeof lon === 'number' ? { row, position: [lat, lon] as const } : { row };
  });
}
