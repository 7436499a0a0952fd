import { describe, expect, it } from 'vitest';
import { availableCapabilities, directoryEntryId, directoryEntrySchema, entryFromOsm } from './directory-entry';
import { entriesFromFhirBundle, facilityResources, facilitySearchBundle, FacilityBundleError } from './facility-fhir';
import { entriesFromHealthsites, healthsitesGeoJsonRows } from './healthsites';

const at = '2026-12-06T10:00:00.000Z';

describe('the facility directory’s imports', () => {
  it('reads healthsites.io rows by their column names, and skips what cannot be used with its reason', () => {
    const { entries, skipped } = entriesFromHealthsites(
      [
        {
          row: {
            X: '33.78',
            Y: '-13.96',
            osm_id: '123',
            osm_type: 'node',
            amenity: 'hospital',
            name: 'Kamuzu Central',
            speciality: 'general_surgery;paediatrics',
            emergency: 'yes',
            beds: '800',
            contact_number: '+265 1 753 555',
            addr_full: 'Mzimba St, Lilongwe',
            operator: 'Ministry of Health',
            changeset_timestamp: '2024-03-01T08:00:00Z',
            changeset_user: 'hotosm',
          },
        },
        { row: { X: '', Y: '', amenity: 'clinic' } },
        { row: { X: '33.7', Y: '-13.9', amenity: 'school' } },
        { row: { X: '33.7', Y: '-13.9', amenity: 'clinic', operational_status: 'closed' } },
        { row: { X: '33.78', Y: '-13.96', osm_id: '123', osm_type: 'node', amenity: 'hospital' } },
      ],
      at,
    );
    expect(entries).toHaveLength(1);
    const [hospital] = entries;
    expect(hospital).toMatchObject({ id: 'fac-healthsites-node-123', name: 'Kamuzu Central', kind: 'hospital', lat: -13.96, lon: 33.78, beds: 800, phone: '+265 1 753 555', address: 'Mzimba St, Lilongwe', operator: 'Ministry of Health', source: { kind: 'healthsites', ref: 'node/123' } });
    expect(hospital!.capabilities.surgery).toEqual({ available: true, confirmedAt: '2024-03-01T08:00:00.000Z', confirmedBy: 'healthsites.io / OpenStreetMap user hotosm' });
    expect(availableCapabilities(hospital!)).toEqual(['emergency', 'surgery', 'paediatrics']);
    expect(skipped).toEqual([
      { row: 2, reason: 'no valid position' },
      { row: 3, reason: 'not a health facility (no amenity or healthcare value we know)' },
      { row: 4, reason: 'marked as not operating' },
      { row: 5, reason: 'a second row for node/123' },
    ]);
  });

  it('reads a healthsites.io GeoJSON export, and says when a file is not one', () => {
    const rows = healthsitesGeoJsonRows({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [33.5, -14.1] }, properties: { healthcare: 'centre', name: 'Nathenje', osm_id: 77, osm_type: 'node' } }] });
    expect(entriesFromHealthsites(rows, at).entries[0]).toMatchObject({ id: 'fac-healthsites-node-77', kind: 'health-centre', lat: -14.1, lon: 33.5 });
    expect(() => healthsitesGeoJsonRows({ type: 'Feature' })).toThrow('This is not a GeoJSON FeatureCollection.');
  });

  it('keeps ids within FHIR’s 64 characters whatever the source id', () => {
    const id = directoryEntryId('healthsites', `x${'é-'.repeat(100)}`);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(id).toMatch(/^fac-healthsites-x(-[a-z0-9]+)*$|^fac-healthsites-x$/);
  });

  it('writes an entry as FHIR and reads it back the same, capabilities, confirmations and all', () => {
    const entry = directoryEntrySchema.parse({
      ...entryFromOsm({ id: 'way/5', kind: 'hospital', name: 'Hospital de Meritxell', lat: 42.5, lon: 1.5, capabilities: ['surgery', 'x-ray'], beds: 40, phone: '+376 871 000', openingHours: '24/7', operator: 'SAAS' }, at),
      hlc: '001790000000000-00000-hub',
    });
    entry.capabilities.oxygen = { available: false, confirmedAt: '2026-12-01T09:00:00.000Z', confirmedBy: 'Hub operator (phone call)' };
    const { location, service, organization } = facilityResources(entry);
    const back = entriesFromFhirBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: location }, { resource: service }, { resource: organization }] }, at);
    expect(back.skipped).toEqual([]);
    expect(back.entries[0]).toEqual({ ...entry, hlc: undefined, id: 'fac-fhir-fac-osm-way-5', source: { kind: 'fhir', ref: 'fac-osm-way-5' }, openingHours: undefined });
    const searchset = facilitySearchBundle([{ entry, distanceM: 1234.4 }], 'https://hub.example/api/v1');
    expect(searchset.entry?.[0]?.search?.extension?.[0]?.valueDistance?.value).toBe(1234);
    expect(() => entriesFromFhirBundle({ resourceType: 'Patient' }, at)).toThrow(FacilityBundleError);
    expect(entriesFromFhirBundle({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Location', id: 'nowhere' } }] }, at).skipped).toEqual([{ resource: 'Location/nowhere', reason: 'no position' }]);
  });
});
