import { describe, expect, it } from 'vitest';
import { facilityKindOf, meanPosition, osmFacility } from './osm-facility';

describe('health facilities from OSM tags', () => {
  it('recognises amenity and healthcare tags, and nothing else', () => {
    expect(facilityKindOf({ amenity: 'hospital' })).toBe('hospital');
    expect(facilityKindOf({ amenity: 'doctors' })).toBe('doctors');
    expect(facilityKindOf({ healthcare: 'centre' })).toBe('health-centre');
    expect(facilityKindOf({ healthcare: 'birthing_center' })).toBe('birthing-centre');
    expect(facilityKindOf({ healthcare: 'physiotherapist' })).toBe('other');
    expect(facilityKindOf({ healthcare: 'physiotherapist', amenity: 'clinic' })).toBe('clinic');
    expect(facilityKindOf({ amenity: 'school' })).toBeUndefined();
    expect(facilityKindOf({ healthcare: 'no' })).toBeUndefined();
  });

  it('states only the capabilities its tags state, with beds, phone, hours and when and by whom it was last edited', () => {
    const facility = osmFacility(
      'node',
      42,
      { amenity: 'hospital', name: ' District Hospital ', 'healthcare:speciality': 'general_surgery;paediatrics; radiology;dentist', emergency: 'yes', beds: '120', 'contact:phone': '+376 123', opening_hours: '24/7' },
      [42.5, 1.5],
      { timestamp: Date.UTC(2024, 0, 2), user: 'mapper' },
    );
    expect(facility).toEqual({
      id: 'node/42',
      kind: 'hospital',
      name: 'District Hospital',
      lat: 42.5,
      lon: 1.5,
      capabilities: ['emergency', 'paediatrics', 'surgery', 'x-ray'],
      beds: 120,
      phone: '+376 123',
      openingHours: '24/7',
      confirmedAt: '2024-01-02T00:00:00.000Z',
      confirmedBy: 'OpenStreetMap user mapper',
    });
    expect(osmFacility('node', 1, { amenity: 'clinic', beds: 'about 10' }, [0, 0])?.beds).toBeUndefined();
  });

  it('places a way at the mean of its distinct nodes, skipping nodes outside the extract', () => {
    const points: Record<number, [number, number]> = { 1: [0, 0], 2: [0, 2], 3: [2, 2], 4: [2, 0] };
    // A closed way repeats its first node: counted once.
    expect(meanPosition([1, 2, 3, 4, 1], (node) => points[node])).toEqual([1, 1]);
    expect(meanPosition([1, 2, 99], (node) => points[node])).toEqual([0, 1]);
    expect(meanPosition([98, 99], (node) => points[node])).toBeUndefined();
  });
});
