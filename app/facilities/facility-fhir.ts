import type { Bundle, BundleEntry, Extension, HealthcareService, Location, Organization, Resource } from '@medplum/fhirtypes';
import { EXTENSION, FACILITY_CAPABILITY, FACILITY_KIND, LOCATION_DISTANCE, UCUM } from '../fhir/systems';
import { facilityCapabilities, facilityKinds, isFacilityCapability, type FacilityCapability } from './capabilities';
import { directoryEntryContentSchema, directoryEntryId, type CapabilityStatus, type DirectoryEntry, type DirectoryEntryContent } from './directory-entry';

/**
 * A directory facility in FHIR R4: a Location (where: name, position, kind,
 * phone, address, beds), the Organization that runs it when known, and a
 * HealthcareService carrying its capabilities as types, with each
 * capability's confirmation (available or not, when, by whom) as an
 * extension. The same mapping reads a FHIR bundle back into directory entries
 * (a national facility list published as FHIR, or our own).
 */

const locationId = (entry: Pick<DirectoryEntry, 'id'>) => entry.id;
const serviceId = (entry: Pick<DirectoryEntry, 'id'>) => `${entry.id.slice(0, 60)}-svc`;
const organizationId = (entry: Pick<DirectoryEntry, 'id'>) => `${entry.id.slice(0, 60)}-org`;

export interface FacilityResources {
  location: Location;
  service: HealthcareService;
  organization?: Organization;
}

function confirmation(capability: FacilityCapability, status: CapabilityStatus): Extension {
  return {
    url: EXTENSION.capabilityConfirmation,
    extension: [
      { url: 'capability', valueCode: capability },
      { url: 'available', valueBoolean: status.available },
      { url: 'confirmedAt', valueDateTime: status.confirmedAt },
      { url: 'confirmedBy', valueString: status.confirmedBy },
    ],
  };
}

export function facilityResources(entry: DirectoryEntry): FacilityResources {
  const organization: Organization | undefined = entry.operator === undefined ? undefined : { resourceType: 'Organization', id: organizationId(entry), active: true, name: entry.operator };
  const telecom = entry.phone === undefined ? undefined : [{ system: 'phone' as const, value: entry.phone }];
  const location: Location = {
    resourceType: 'Location',
    id: locationId(entry),
    status: 'active',
    ...(entry.name !== undefined ? { name: entry.name } : {}),
    mode: 'instance',
    type: [{ coding: [{ system: FACILITY_KIND, code: entry.kind }], text: entry.kind }],
    ...(telecom ? { telecom } : {}),
    ...(entry.address !== undefined ? { address: { text: entry.address } } : {}),
    position: { latitude: entry.lat, longitude: entry.lon },
    ...(organization ? { managingOrganization: { reference: `Organization/${organization.id}` } } : {}),
    ...(entry.beds !== undefined ? { extension: [{ url: EXTENSION.facilityBeds, valueUnsignedInt: entry.beds }] } : {}),
    meta: { lastUpdated: entry.updatedAt },
  };
  const known = facilityCapabilities.filter((capability) => entry.capabilities[capability] !== undefined);
  const available = known.filter((capability) => entry.capabilities[capability]!.available);
  const service: HealthcareService = {
    resourceType: 'HealthcareService',
    id: serviceId(entry),
    active: true,
    location: [{ reference: `Location/${location.id}` }],
    ...(organization ? { providedBy: { reference: `Organization/${organization.id}` } } : {}),
    ...(available.length > 0 ? { type: available.map((capability) => ({ coding: [{ system: FACILITY_CAPABILITY, code: capability }], text: capability })) } : {}),
    ...(entry.name !== undefined ? { name: entry.name } : {}),
    ...(telecom ? { telecom } : {}),
    ...(entry.openingHours !== undefined ? { availabilityExceptions: `Opening hours (OpenStreetMap syntax): ${entry.openingHours}` } : {}),
    ...(known.length > 0 ? { extension: known.map((capability) => confirmation(capability, entry.capabilities[capability]!)) } : {}),
  };
  return { location, service, ...(organization ? { organization } : {}) };
}

/**
 * A searchset Bundle of facilities ranked as given (nearest first): each
 * Location a match with its distance (FHIR's location-distance extension, in
 * metres), how it was measured (by road or straight line) and, by road, the
 * drive's time; its HealthcareService and Organization as includes.
 */
export function facilitySearchBundle(ranked: readonly { entry: DirectoryEntry; distanceM: number; by?: 'road' | 'straight-line'; durationS?: number | undefined }[], base: string): Bundle {
  const entries: BundleEntry[] = [];
  for (const { entry, distanceM, by = 'straight-line', durationS } of ranked) {
    const { location, service, organization } = facilityResources(entry);
    entries.push({
      fullUrl: `${base}/Location/${location.id}`,
      resource: location,
      search: {
        mode: 'match',
        extension: [
          { url: LOCATION_DISTANCE, valueDistance: { value: Math.round(distanceM), unit: 'm', system: UCUM, code: 'm' } },
          { url: EXTENSION.distanceBy, valueCode: by },
          ...(durationS !== undefined ? [{ url: EXTENSION.travelTime, valueDuration: { value: Math.round(durationS), unit: 's', system: UCUM, code: 's' } }] : []),
        ],
      },
    });
    entries.push({ fullUrl: `${base}/HealthcareService/${service.id}`, resource: service, search: { mode: 'include' } });
    if (organization) entries.push({ fullUrl: `${base}/Organization/${organization.id}`, resource: organization, search: { mode: 'include' } });
  }
  return { resourceType: 'Bundle', type: 'searchset', total: ranked.length, entry: entries };
}

export class FacilityBundleError extends Error {
  override name = 'FacilityBundleError';
}

const stringOf = (extension: readonly Extension[] | undefined, url: string) => extension?.find((e) => e.url === url);

/** The capability confirmations a HealthcareService carries, or (for another system's service) its coded types as available. */
function capabilitiesOf(service: HealthcareService, fallback: { confirmedAt: string; confirmedBy: string }): DirectoryEntry['capabilities'] {
  const capabilities: DirectoryEntry['capabilities'] = {};
  for (const extension of service.extension ?? []) {
    if (extension.url !== EXTENSION.capabilityConfirmation) continue;
    const code = stringOf(extension.extension, 'capability')?.valueCode;
    const available = stringOf(extension.extension, 'available')?.valueBoolean;
    const confirmedAt = stringOf(extension.extension, 'confirmedAt')?.valueDateTime;
    const confirmedBy = stringOf(extension.extension, 'confirmedBy')?.valueString;
    if (isFacilityCapability(code) && typeof available === 'boolean') capabilities[code] = { available, confirmedAt: confirmedAt ?? fallback.confirmedAt, confirmedBy: confirmedBy ?? fallback.confirmedBy };
  }
  for (const type of service.type ?? [])
    for (const coding of type.coding ?? []) if (coding.system === FACILITY_CAPABILITY && isFacilityCapability(coding.code) && !capabilities[coding.code]) capabilities[coding.code] = { available: true, ...fallback };
  return capabilities;
}

/**
 * Directory entries from a FHIR Bundle: every Location with a position,
 * with the capabilities of the HealthcareServices at it. A Location without
 * a position cannot be routed to and is skipped, with its reason.
 */
export function entriesFromFhirBundle(value: unknown, importedAt: string): { entries: DirectoryEntryContent[]; skipped: { resource: string; reason: string }[] } {
  const bundle = value as Partial<Bundle>;
  if (typeof value !== 'object' || value === null || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) throw new FacilityBundleError('This is not a FHIR Bundle.');
  const resources = bundle.entry.map((entry) => entry.resource).filter((resource): resource is Resource => typeof resource === 'object' && resource !== null);
  const services = resources.filter((resource): resource is HealthcareService => resource.resourceType === 'HealthcareService');
  const organizations = new Map(resources.filter((resource): resource is Organization => resource.resourceType === 'Organization').map((org) => [`Organization/${org.id}`, org]));
  const entries: DirectoryEntryContent[] = [];
  const skipped: { resource: string; reason: string }[] = [];
  for (const location of resources.filter((resource): resource is Location => resource.resourceType === 'Location')) {
    const name = `Location/${location.id ?? '?'}`;
    const { latitude, longitude } = location.position ?? {};
    if (typeof latitude !== 'number' || typeof longitude !== 'number') {
      skipped.push({ resource: name, reason: 'no position' });
      continue;
    }
    const fallback = { confirmedAt: location.meta?.lastUpdated ?? importedAt, confirmedBy: 'FHIR directory import' };
    const here = services.filter((service) => service.location?.some((ref) => ref.reference === name));
    const capabilities = Object.assign({}, ...here.map((service) => capabilitiesOf(service, fallback))) as DirectoryEntry['capabilities'];
    const kindCode = location.type?.flatMap((type) => type.coding ?? []).find((coding) => coding.system === FACILITY_KIND)?.code;
    const kind = facilityKinds.find((known) => known === kindCode) ?? 'other';
    const beds = location.extension?.find((extension) => extension.url === EXTENSION.facilityBeds)?.valueUnsignedInt;
    const phone = location.telecom?.find((telecom) => telecom.system === 'phone')?.value;
    const operator = location.managingOrganization?.reference ? organizations.get(location.managingOrganization.reference)?.name : undefined;
    const ref = location.id ?? name;
    const candidate = {
      id: directoryEntryId('fhir', ref),
      kind,
      lat: latitude,
      lon: longitude,
      capabilities,
      ...(location.name ? { name: location.name.slice(0, 300) } : {}),
      ...(beds !== undefined ? { beds } : {}),
      ...(phone ? { phone: phone.slice(0, 200) } : {}),
      ...(location.address?.text ? { address: location.address.text.slice(0, 500) } : {}),
      ...(operator ? { operator: operator.slice(0, 300) } : {}),
      source: { kind: 'fhir' as const, ref: ref.slice(0, 300) },
      updatedAt: importedAt,
    };
    const checked = directoryEntryContentSchema.safeParse(candidate);
    if (!checked.success) {
      skipped.push({ resource: name, reason: `not usable (${checked.error.issues[0]?.path.join('.') ?? 'form'})` });
      continue;
    }
    entries.push(checked.data);
  }
  return { entries, skipped };
}
