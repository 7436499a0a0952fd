import { describe, expect, it } from 'vitest';
import { derivedId, fhirIdFor, fullUrlFor, isFhirId, requireFhirId } from './ids';

describe('isFhirId', () => {
  it('accepts what R4 allows: letters, digits, - and ., 1 to 64 characters', () => {
    expect(isFhirId('pat-0123456789abcdef0123456789abcdef')).toBe(true);
    expect(isFhirId('audit.ws-1.0000000001')).toBe(true);
    expect(isFhirId('a'.repeat(64))).toBe(true);
  });

  it('refuses what store ids may hold but FHIR does not', () => {
    for (const id of ['', 'a'.repeat(65), 'ws_1', 'urn:x', 'a b', 'é']) expect(isFhirId(id)).toBe(false);
  });

  it('names the field, never the value, when it refuses', () => {
    expect(() => requireFhirId('Mary Banda', 'patient id')).toThrow('patient id is not a valid FHIR id');
    expect(() => requireFhirId('Mary Banda', 'patient id')).not.toThrow(/Mary/);
  });
});

describe('derivedId', () => {
  it('is the same for the same parts on every call, and differs with any part or the prefix', async () => {
    const id = await derivedId('bp', 'obs-1', 'obs-2');
    expect(await derivedId('bp', 'obs-1', 'obs-2')).toBe(id);
    expect(await derivedId('bp', 'obs-2', 'obs-1')).not.toBe(id);
    expect(await derivedId('news2', 'obs-1', 'obs-2')).not.toBe(id.replace('bp-', 'news2-'));
    // Parts are kept apart: ("a b", "c") is not ("a", "b c").
    expect(await derivedId('x', 'a b', 'c')).not.toBe(await derivedId('x', 'a', 'b c'));
  });

  it('carries an RFC 9562 version 8 UUID, so the resource gets a urn:uuid fullUrl', async () => {
    const id = await derivedId('device', 'cms50d', 'Contec', 'CMS50D+', 'SN123');
    expect(id).toMatch(/^device-[0-9a-f]{12}8[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(isFhirId(id)).toBe(true);
    expect(fullUrlFor('Device', id)).toBe(`urn:uuid:${id.slice(7, 15)}-${id.slice(15, 19)}-${id.slice(19, 23)}-${id.slice(23, 27)}-${id.slice(27)}`);
  });

  it('refuses a prefix that could break the id rule', async () => {
    await expect(derivedId('Bad_Prefix', 'x')).rejects.toThrow();
  });
});

describe('fhirIdFor', () => {
  it('keeps a store id FHIR allows, so a re-export updates the same resource', async () => {
    expect(await fhirIdFor('pat', 'pat-0123456789abcdef0123456789abcdef')).toBe('pat-0123456789abcdef0123456789abcdef');
  });

  it('derives a stable id for one FHIR refuses (too long, or with _ or :)', async () => {
    for (const storeId of ['p'.repeat(100), 'ws_1', 'clinic:7']) {
      const id = await fhirIdFor('pat', storeId);
      expect(id).toMatch(/^pat-[0-9a-f]{32}$/);
      expect(await fhirIdFor('pat', storeId)).toBe(id);
    }
  });
});

describe('fullUrlFor', () => {
  it('re-dashes the UUID a store id carries', () => {
    expect(fullUrlFor('Patient', 'pat-0123456789abcdef0123456789abcdef')).toBe('urn:uuid:01234567-89ab-cdef-0123-456789abcdef');
  });

  it('uses the server’s base URL for an id with no UUID, and gives none without one', () => {
    expect(fullUrlFor('AuditEvent', 'audit.ws-1.0000000001', 'https://fhir.example.org/r4/')).toBe('https://fhir.example.org/r4/AuditEvent/audit.ws-1.0000000001');
    expect(fullUrlFor('AuditEvent', 'audit.ws-1.0000000001')).toBeUndefined();
  });
});
