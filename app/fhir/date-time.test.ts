import { describe, expect, it } from 'vitest';
import { toFhirInstant } from './date-time';

describe('toFhirInstant', () => {
  it('keeps a stored instant as written, local offset included', () => {
    expect(toFhirInstant('2025-06-15T09:30:00+02:00')).toBe('2025-06-15T09:30:00+02:00');
    expect(toFhirInstant('2025-06-15T09:30:00.250Z')).toBe('2025-06-15T09:30:00.250Z');
    expect(toFhirInstant('2025-06-15T09:30:00+14:00')).toBe('2025-06-15T09:30:00+14:00');
  });

  it('cuts fraction digits beyond FHIR’s nine without rounding into the seconds', () => {
    expect(toFhirInstant('2025-06-15T09:30:59.9999999999+02:00')).toBe('2025-06-15T09:30:59.999999999+02:00');
  });

  it('writes an offset FHIR refuses (beyond ±14:00) as the same instant in UTC', () => {
    expect(toFhirInstant('2025-06-15T09:30:00+15:00')).toBe('2025-06-14T18:30:00.000Z');
  });

  it('refuses impossible days and times without an offset', () => {
    for (const text of ['2025-02-30T09:30:00Z', '2025-06-15T09:30:00', '2025-06-15', 'yesterday']) expect(() => toFhirInstant(text)).toThrow();
  });
});
