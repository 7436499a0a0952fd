import { describe, expect, it } from 'vitest';
import { hmacKey } from '../../app/deid/deid-engine';
import { DeidRun } from '../../app/deid/deid-run';
import { scanForPhi } from '../../app/deid/phi-scan';
import { phiCase } from './phi-corpus';

type Json = Record<string, unknown>;
const accepted = new Set(['Patient', 'Encounter', 'Observation', 'Condition']);

async function contribution(profile: 'odh' | 'safe-harbor'): Promise<Json> {
  const { resources } = phiCase();
  const run = new DeidRun({ profile, keys: { hash: await hmacKey('h'), dateShift: await hmacKey('s') }, linkable: true, now: new Date('2026-12-06T00:00:00Z') });
  for (const resource of resources) run.learn(resource);
  const entry: Json[] = [];
  for (const resource of resources.filter((r) => accepted.has(String(r['resourceType'])))) {
    const out = await run.resource(resource);
    if (out !== undefined) entry.push({ fullUrl: `urn:uuid:${'0'.repeat(8)}-0000-4000-8000-${String(entry.length).padStart(12, '0')}`, resource: out });
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}

describe('the Open Data Hub’s own scan for PHI', () => {
  it('passes what the ODH and Safe Harbor profiles make of records full of PHI', async () => {
    expect(scanForPhi(await contribution('odh'))).toBeUndefined();
    expect(scanForPhi(await contribution('safe-harbor'))).toBeUndefined();
  });

  it('finds PHI planted anywhere, and names the rule and the path, never the value', async () => {
    const clean = await contribution('odh');
    const patientAt = (clean['entry'] as Json[]).findIndex((entry) => (entry['resource'] as Json)['resourceType'] === 'Patient');
    const noteAt = (clean['entry'] as Json[]).findIndex((entry) => (entry['resource'] as Json)['note'] !== undefined);
    const withPatient = (change: (patient: Json) => void) => {
      const copy = structuredClone(clean);
      change(((copy['entry'] as Json[])[patientAt]!['resource'] as Json));
      return scanForPhi(copy);
    };
    const withNote = (text: string) => {
      const copy = structuredClone(clean);
      (((copy['entry'] as Json[])[noteAt]!['resource'] as Json)['note'] as Json[])[0]!['text'] = text;
      return scanForPhi(copy);
    };
    const patient = `Bundle.entry[${patientAt}].resource`;
    expect(withPatient((p) => (p['name'] = [{ family: 'Ngoné' }]))).toEqual({ rule: 'names', path: `${patient}.name[0]` });
    expect(withPatient((p) => (p['telecom'] = [{ system: 'phone', value: '0712345678' }]))).toEqual({ rule: 'telecom', path: `${patient}.telecom[0]` });
    expect(withPatient((p) => (p['identifier'] = [{ value: 'MRN-1' }]))).toEqual({ rule: 'identifiers', path: `${patient}.identifier[0]` });
    expect(withPatient((p) => (p['birthDate'] = '1987-03'))).toEqual({ rule: 'birth-date', path: `${patient}.birthDate` });
    expect(withPatient((p) => (p['birthDate'] = '1931'))).toEqual({ rule: 'birth-date', path: `${patient}.birthDate` });
    expect(withPatient((p) => (p['birthDate'] = '1987'))).toBeUndefined();
    expect(withPatient((p) => (p['address'] = [{ city: 'Usa River', state: 'Arusha' }]))).toEqual({ rule: 'address-below-district', path: `${patient}.address[0]` });
    expect(withPatient((p) => (p['address'] = [{ postalCode: '23106' }]))).toEqual({ rule: 'postal-code', path: `${patient}.address[0].postalCode` });
    expect(withPatient((p) => (p['id'] = 'pt-wanjiru-0001'))).toEqual({ rule: 'ids-not-pseudonymous', path: `${patient}.id` });
    expect(withPatient((p) => (p['extension'] = [{ url: 'urn:x', valueString: 'Kalolwe' }]))).toEqual({ rule: 'extension-text', path: `${patient}.extension[0]` });
    expect(withPatient((p) => (p['deceasedDateTime'] = '2026-11-30'))).toEqual({ rule: 'dates-finer-than-month', path: `${patient}.deceasedDateTime` });
    expect(withPatient((p) => (p['resourceType'] = 'Person'))?.rule).toBe('resource-type');
    expect(withPatient((p) => (p['name'] = 'Amélie'))).toEqual({ rule: 'shape', path: 'Patient.name' });
    expect(withNote('call 0712 345 678')?.rule).toBe('free-text-phone-or-number');
    expect(withNote('write to a@b.org')?.rule).toBe('free-text-email');
    expect(withNote('see https://x.example/p')?.rule).toBe('free-text-url');
    expect(withNote('from 10.0.0.1')?.rule).toBe('free-text-ip');
    expect(withNote('seen 30/11/2026')?.rule).toBe('free-text-date');
    expect(withNote('seen 14 March 1987')?.rule).toBe('free-text-date');
    expect(withNote('at -3.36712, 36.85298')?.rule).toBe('free-text-coordinates');
    expect(withNote('SpO2 97 % on air, pulse 88, BP 128/84, weight 95 kg')).toBeUndefined();
    expect(JSON.stringify(withNote('call 0712 345 678'))).not.toMatch(/0712/);
  });
});
