import { describe, expect, it } from 'vitest';
import { readAnonymizerConfig } from './anonymizer-config';
import { deidentifyResource, encryptionKey, hmacKey, perturbed, shiftDate, shiftDaysFor } from './deid-engine';

const keys = async () => ({ hash: await hmacKey('hash-secret'), dateShift: await hmacKey('shift-secret') });

const patient = () => ({
  resourceType: 'Patient',
  id: 'pat-1',
  extension: [{ url: 'urn:x:birthplace', valueString: 'Kisiwa village' }],
  identifier: [{ system: 'urn:x:clinic-number', value: 'ABCD-EFGH-1' }],
  name: [{ family: 'Banda', given: ['Mary', 'Anne'], _given: [null, { extension: [{ url: 'urn:x:note', valueString: 'Anne' }] }] }],
  gender: 'female',
  birthDate: '1987-03-14',
  address: [{ city: 'Kisiwa', state: 'Arusha' }],
});

const observation = () => ({
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/pat-1', display: 'Mary Banda' },
  effectiveDateTime: '2025-06-15T09:30:00+02:00',
  valueQuantity: { value: 97, unit: '/min' },
});

const rules = readAnonymizerConfig({
  fhirPathRules: [
    { path: 'Patient.address.state', method: 'keep' },
    { path: 'Patient.address', method: 'redact' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: 'descendants().ofType(Reference).reference', method: 'cryptoHash' },
    { path: 'descendants().ofType(Reference).display', method: 'redact' },
    { path: 'Patient.name', method: 'substitute', replaceWith: { text: 'Redacted' } },
    { path: 'Patient.name', method: 'redact' },
    { path: 'descendants().ofType(date)', method: 'dateShift' },
    { path: 'descendants().ofType(dateTime)', method: 'dateShift' },
    { path: 'Resource.extension', method: 'redact' },
    { path: 'Patient.identifier', method: 'redact' },
  ],
});

describe('the de-identification engine', () => {
  it('applies rules in order, the first to reach an element wins, and leaves the input untouched', async () => {
    const input = patient();
    const out = await deidentifyResource(input, rules, await keys());
    expect(input).toEqual(patient());
    // The state was kept by the first rule, so the address rule left it; the rest of the address went.
    expect(out!['address']).toEqual([{ state: 'Arusha' }]);
    // Substituted, so the later redact of the name left it.
    expect(out!['name']).toEqual([{ text: 'Redacted' }]);
    expect(out!['extension']).toBeUndefined();
    expect(out!['identifier']).toBeUndefined();
    expect(out!['gender']).toBe('female');
    expect(JSON.stringify(out)).not.toMatch(/Banda|Mary|Anne|Kisiwa|ABCD|pat-1|1987-03-14/);
  });

  it('hashes ids and references alike, so a de-identified record still points at its patient', async () => {
    const k = await keys();
    const p = await deidentifyResource(patient(), rules, k);
    const o = await deidentifyResource(observation(), rules, k);
    expect(o!['subject']).toEqual({ reference: `Patient/${String(p!['id'])}` });
    expect(p!['id']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shifts every date of one patient by the same days, keeping the time of day and the zone', async () => {
    const k = await keys();
    const days = shiftDaysFor(k.dateShift, 'Patient/pat-1');
    expect(Math.abs(days)).toBeLessThanOrEqual(50);
    const p = await deidentifyResource(patient(), rules, k);
    const o = await deidentifyResource(observation(), rules, k);
    expect(p!['birthDate']).toBe(shiftDate('1987-03-14', days));
    expect(o!['effectiveDateTime']).toBe(shiftDate('2025-06-15T09:30:00+02:00', days));
    expect(String(o!['effectiveDateTime'])).toMatch(/T09:30:00\+02:00$/);
    expect(shiftDate('2025-06-15', 20)).toBe('2025-07-05');
    expect(shiftDate('1987', 20)).toBe('1987');
  });

  it('takes a removed primitive’s own extensions with it, keeping the others in line', async () => {
    const config = readAnonymizerConfig({ fhirPathRules: [{ path: "Patient.name.given.where($this = 'Anne')", method: 'redact' }] });
    const out = await deidentifyResource(patient(), config, await keys());
    expect(out!['name']).toEqual([{ family: 'Banda', given: ['Mary'] }]);
  });

  it('refuses an encryption without a key, rather than leaving the element as it was', async () => {
    const encrypt = readAnonymizerConfig({ fhirPathRules: [{ path: 'Patient.name', method: 'encrypt' }] });
    await expect(deidentifyResource(patient(), encrypt, await keys())).rejects.toThrow(/no encryptKey/);
  });

  it('perturbs a number or a quantity within its span, rounded', async () => {
    const config = readAnonymizerConfig({ fhirPathRules: [{ path: 'Observation.value', method: 'perturb', span: 0.1, rangeType: 'proportional', roundTo: 0 }] });
    for (let i = 0; i < 20; i++) {
      const out = await deidentifyResource(observation(), config, await keys());
      const value = (out!['valueQuantity'] as { value: number; unit: string }).value;
      expect(value).toBeGreaterThanOrEqual(87);
      expect(value).toBeLessThanOrEqual(107);
      expect(Number.isInteger(value)).toBe(true);
      expect((out!['valueQuantity'] as { unit: string }).unit).toBe('/min');
    }
    const rule = { path: 'x', method: 'perturb' as const, span: 2, rangeType: 'fixed' as const, roundTo: 1 };
    expect(perturbed(10, rule, () => 1)).toBe(12);
    expect(perturbed(10, rule, () => -0.5)).toBe(9);
  });

  it('generalizes by the first case whose condition holds, and redacts or keeps the others', async () => {
    const decade = { "$this < @1980-01-01": '@1970-01-01', "$this < @1990-01-01": '@1980-01-01' };
    const redactOthers = readAnonymizerConfig({ fhirPathRules: [{ path: 'Patient.birthDate', method: 'generalize', cases: decade }] });
    expect((await deidentifyResource(patient(), redactOthers, await keys()))!['birthDate']).toBe('1980-01-01');
    const young = { ...patient(), birthDate: '1995-07-01' };
    expect((await deidentifyResource(young, redactOthers, await keys()))!['birthDate']).toBeUndefined();
    const keepOthers = readAnonymizerConfig({ fhirPathRules: [{ path: 'Patient.birthDate', method: 'generalize', cases: decade, otherValues: 'keep' }] });
    expect((await deidentifyResource(young, keepOthers, await keys()))!['birthDate']).toBe('1995-07-01');
    const zip3 = readAnonymizerConfig({ fhirPathRules: [{ path: 'Patient.address.postalCode', method: 'generalize', cases: { 'true': "$this.substring(0, 3) + '00'" } }] });
    const withZip = { ...patient(), address: [{ postalCode: '03601' }] };
    expect((await deidentifyResource(withZip, zip3, await keys()))!['address']).toEqual([{ postalCode: '03600' }]);
  });

  it('encrypts with AES-GCM, so the holder of the key alone can read it back', async () => {
    const config = readAnonymizerConfig({ fhirPathRules: [{ path: 'Patient.name.family', method: 'encrypt' }] });
    const secret = '0123456789abcdef';
    const out = await deidentifyResource(patient(), config, { ...(await keys()), encrypt: await encryptionKey(secret) });
    const sealed = (out!['name'] as { family: string }[])[0]!.family;
    expect(sealed).not.toContain('Banda');
    const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'AES-GCM' }, false, ['decrypt']);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, key, bytes.slice(12));
    expect(new TextDecoder().decode(plain)).toBe('Banda');
    await expect(encryptionKey('too short')).rejects.toThrow(/16, 24 or 32 bytes/);
  });
});
