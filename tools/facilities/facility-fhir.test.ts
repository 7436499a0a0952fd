import { beforeAll, describe, expect, it } from 'vitest';
import { directoryEntrySchema, entryFromOsm } from '../../app/facilities/directory-entry';
import { facilityResources, facilitySearchBundle } from '../../app/facilities/facility-fhir';
import { fhirErrors, loadFhirValidators } from '../fhir/validators';

// The directory's FHIR, checked by both validators the export is checked by (tools/fhir/validators.ts).

const at = '2026-12-06T10:00:00.000Z';
const full = directoryEntrySchema.parse({
  ...entryFromOsm({ id: 'node/42', kind: 'hospital', name: 'District Hospital', lat: -13.9, lon: 33.7, capabilities: ['emergency', 'surgery'], beds: 120, phone: '+265 1 000 000', openingHours: 'Mo-Fr 08:00-17:00', operator: 'Ministry of Health' }, at),
  hlc: '001790000000000-00000-hub',
  address: 'Mzimba St',
});
full.capabilities.oxygen = { available: false, confirmedAt: at, confirmedBy: 'Hub operator' };
const bare = directoryEntrySchema.parse({ ...entryFromOsm({ id: 'way/7', kind: 'pharmacy', lat: 42.5, lon: 1.5, capabilities: [] }, at), hlc: '001790000000000-00000-hub' });

describe('the facility directory in FHIR R4', () => {
  beforeAll(() => loadFhirValidators(), 60_000);

  it('writes valid Locations, HealthcareServices and Organizations, with everything and with nothing but a position', () => {
    for (const entry of [full, bare]) {
      const { location, service, organization } = facilityResources(entry);
      for (const resource of [location, service, organization].filter(Boolean)) expect(fhirErrors(resource), `${resource!.resourceType} of ${entry.id}`).toEqual([]);
    }
  });

  it('answers a search with a valid searchset of Locations ranked with their distance', () => {
    const bundle = facilitySearchBundle(
      [
        { entry: full, distanceM: 1200 },
        { entry: bare, distanceM: 5400 },
      ],
      'https://hub.example/api/v1',
    );
    expect(fhirErrors(bundle)).toEqual([]);
    const matches = bundle.entry!.filter((entry) => entry.search?.mode === 'match');
    expect(matches.map((entry) => entry.resource?.id)).toEqual([full.id, bare.id]);
  });
});
