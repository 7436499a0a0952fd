import { z } from 'zod';
import { facilityCapabilities, facilityKinds, type FacilityCapability } from './capabilities';
import type { OsmFacility } from './osm-facility';

/**
 * One facility of the shared directory (issue 16): kept by the hub operator,
 * replicated in clear to every workstation (it holds no patient data), read
 * only there. Each capability says whether the facility has it and when and
 * by whom that was last confirmed; a clinic's own knowledge ("no oxygen this
 * week") is a sealed override of its own, shown beside this entry.
 */

const isoInstant = z.iso.datetime({ offset: true });

export const capabilityStatusSchema = z.strictObject({
  available: z.boolean(),
  confirmedAt: isoInstant,
  confirmedBy: z.string().min(1).max(300),
});
export type CapabilityStatus = z.infer<typeof capabilityStatusSchema>;

export const directorySources = ['osm', 'healthsites', 'fhir', 'hub-operator'] as const;

/** `fac-`, the source and its own id made safe (`fac-osm-node-123`): the same facility imported again is the same entry. */
export const facilityIdSchema = z.string().regex(/^fac-[a-z0-9-]{1,60}$/);

export const directoryEntrySchema = z.strictObject({
  id: facilityIdSchema,
  /** The hub's clock when it last wrote the entry (app/records/hlc.ts form): replication orders versions by it. */
  hlc: z.string().regex(/^\d{15}-\d{5}-[A-Za-z0-9_-]{1,40}$/),
  name: z.string().min(1).max(300).optional(),
  kind: z.enum(facilityKinds),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  capabilities: z.partialRecord(z.enum(facilityCapabilities), capabilityStatusSchema),
  beds: z.number().int().min(0).max(100_000).optional(),
  phone: z.string().max(200).optional(),
  openingHours: z.string().max(500).optional(),
  operator: z.string().max(300).optional(),
  address: z.string().max(500).optional(),
  /** Where the entry came from, and the id it has there (`node/123` for OSM and healthsites.io, a Location's id for FHIR). */
  source: z.strictObject({ kind: z.enum(directorySources), ref: z.string().min(1).max(300) }),
  updatedAt: isoInstant,
  /**
   * Withdrawn from the directory by the hub operator (closed, or never a
   * facility): kept, not deleted, so every workstation learns of it through
   * the same replication that brought it, and a later import of the same
   * source does not bring it back.
   */
  withdrawn: z.literal(true).optional(),
});
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

/** An entry as an import makes it, before the hub gives it its clock. */
export const directoryEntryContentSchema = directoryEntrySchema.omit({ hlc: true });
export type DirectoryEntryContent = z.infer<typeof directoryEntryContentSchema>;

/** An entry's id from its source's id: lowercase letters, digits and dashes, at most 64 characters so it is also its FHIR Location's id. */
export function directoryEntryId(source: DirectoryEntry['source']['kind'], ref: string): string {
  const prefix = `fac-${source}-`;
  const safe = ref
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64 - prefix.length)
    .replace(/-$/, '');
  return `${prefix}${safe || 'unnamed'}`;
}

/** The capabilities a facility has, as of now: only those marked available. */
export function availableCapabilities(entry: Pick<DirectoryEntry, 'capabilities'>): FacilityCapability[] {
  return facilityCapabilities.filter((capability) => entry.capabilities[capability]?.available === true);
}

/** An OSM facility as a directory entry (without its clock, which the hub sets when it writes it). */
export function entryFromOsm(facility: OsmFacility, importedAt: string): DirectoryEntryContent {
  const confirmedAt = facility.confirmedAt ?? importedAt;
  const confirmedBy = facility.confirmedBy ?? 'OpenStreetMap';
  const { name, beds, phone, openingHours, operator } = facility;
  return {
    id: directoryEntryId('osm', facility.id),
    kind: facility.kind,
    lat: facility.lat,
    lon: facility.lon,
    capabilities: Object.fromEntries(facility.capabilities.map((capability) => [capability, { available: true, confirmedAt, confirmedBy }])),
    ...(name !== undefined ? { name } : {}),
    ...(beds !== undefined ? { beds } : {}),
    ...(phone !== undefined ? { phone } : {}),
    ...(openingHours !== undefined ? { openingHours } : {}),
    ...(operator !== undefined ? { operator } : {}),
    source: { kind: 'osm', ref: facility.id },
    updatedAt: importedAt,
  };
}
