import { describe, expect, it } from 'vitest';
import type { NodePlace } from './fhir-nodes';
import { partiallyRedacted, partialRedactionOf, zip3Of, restrictedZip3 } from './partial-redact';

const partial = partialRedactionOf({ enablePartialDatesForRedact: true, enablePartialAgesForRedact: true, enablePartialZipCodesForRedact: true }, new Date('2026-12-06T00:00:00Z'));
const at = (key: string, type: string | undefined, value: unknown, parent: Record<string, unknown> = {}): NodePlace => ({ parent: { ...parent, [key]: value }, key, index: undefined, type, value });

describe('what redact leaves under Safe Harbor’s partial rules', () => {
  it('keeps a date’s year, unless it is 90 or more years back; an instant becomes the start of its year', () => {
    expect(partiallyRedacted(at('birthDate', 'date', '1987-03-14'), partial)).toBe('1987');
    expect(partiallyRedacted(at('effectiveDateTime', 'dateTime', '2026-11-30T08:20:00+03:00'), partial)).toBe('2026');
    expect(partiallyRedacted(at('birthDate', 'date', '1936-12-31'), partial)).toBeUndefined();
    expect(partiallyRedacted(at('birthDate', 'date', '1937-01-01'), partial)).toBe('1937');
    expect(partiallyRedacted(at('issued', 'instant', '2026-11-30T08:20:31Z'), partial)).toBe('2026-01-01T00:00:00Z');
  });

  it('keeps ages of 89 and under, and says 90 or more for older ones, whatever the unit', () => {
    expect(partiallyRedacted(at('onsetAge', 'Age', { value: 45, unit: 'years', code: 'a' }), partial)).toEqual({ value: 45, unit: 'years', code: 'a' });
    expect(partiallyRedacted(at('onsetAge', 'Age', { value: 1100, code: 'mo' }), partial)).toEqual({ value: 90, comparator: '>=', unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' });
    expect(partiallyRedacted(at('onsetAge', 'Age', { value: 3, code: 'kg' }), partial)).toBeUndefined();
  });

  it('keeps a US ZIP code’s first three digits, 000 for the sparsely peopled ones, and nothing of another country’s code', () => {
    expect(zip3Of('94110', new Set(restrictedZip3))).toBe('941');
    expect(zip3Of('03601-1234', new Set(restrictedZip3))).toBe('000');
    expect(zip3Of('AD500', new Set(restrictedZip3))).toBeUndefined();
    expect(partiallyRedacted(at('postalCode', 'string', '94110', { country: 'US' }), partial)).toBe('941');
    expect(partiallyRedacted(at('postalCode', 'string', '23106', { country: 'TZ' }), partial)).toBeUndefined();
    expect(restrictedZip3).toEqual(expect.arrayContaining(['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893']));
  });

  it('leaves nothing when the configuration does not allow a part', () => {
    const whole = partialRedactionOf({}, new Date());
    expect(partiallyRedacted(at('birthDate', 'date', '1987-03-14'), whole)).toBeUndefined();
    expect(partiallyRedacted(at('postalCode', 'string', '94110'), whole)).toBeUndefined();
  });
});
