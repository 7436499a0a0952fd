import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { practitionerIdOf, practitionerRoleIdOf, toFhirPractitioner, toFhirPractitionerRole } from './practitioner';
import { nurse, nurseId } from './test-support';

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

const roleContext = { id: 'role-1', practitioner: { reference: `Practitioner/${nurseId}` }, organization: { reference: 'Organization/clinic-1' } };

describe('toFhirPractitioner', () => {
  it('gives the person’s display name, whether they are active, and their staff id', () => {
    expect(toFhirPractitioner(nurse)).toEqual({
      resourceType: 'Practitioner',
      id: nurseId,
      identifier: [{ system: 'urn:clinic-workstation:staff-id', value: nurseId }],
      active: true,
      name: [{ text: 'Martha Banda' }],
    } satisfies Practitioner);
  });

  it('keeps a disabled account’s person, inactive, so old readings still name them', () => {
    expect(toFhirPractitioner({ ...nurse, disabled: true }).active).toBe(false);
  });
});

describe('toFhirPractitionerRole', () => {
  it('says what the person does at the clinic, in the workstation’s role codes', () => {
    expect(toFhirPractitionerRole(nurse, { ...roleContext, location: { reference: 'Location/loc-1' } })).toEqual({
      resourceType: 'PractitionerRole',
      id: 'role-1',
      active: true,
      practitioner: { reference: `Practitioner/${nurseId}` },
      organization: { reference: 'Organization/clinic-1' },
      code: [{ coding: [{ system: 'urn:clinic-workstation:staff-role', code: 'nurse', display: 'Nurse' }], text: 'Nurse' }],
      location: [{ reference: 'Location/loc-1' }],
    } satisfies PractitionerRole);
    expect(toFhirPractitionerRole({ ...nurse, role: 'admin' }, roleContext).code?.[0]?.text).toBe('Clinic administrator');
  });

  it('gives each person’s role one id on every export', async () => {
    expect(await practitionerRoleIdOf(nurse)).toBe(await practitionerRoleIdOf({ id: nurseId }));
    expect(await practitionerRoleIdOf(nurse)).toMatch(/^role-[0-9a-f]{32}$/);
    expect(await practitionerIdOf(nurse)).toBe(nurseId);
  });
});

describe('staff export', () => {
  it('carries no key material and no user name, even when handed a stored account', () => {
    // A stored account and its session: what a careless caller might pass in whole.
    const account = {
      ...nurse,
      clinicId: 'clinic-1',
      wrap: { salt: 'c2FsdA==', iv: 'aXY=', wrapped: 'd3JhcHBlZA==', iterations: 600_000 },
      claims: 'v1.sealed',
      dataKey: { type: 'secret' },
      passphrase: 'correct horse',
    };
    const exported = [toFhirPractitioner(account), toFhirPractitionerRole(account, roleContext)];
    const keys = keysOf(exported).map((key) => key.toLowerCase());
    for (const forbidden of ['wrap', 'wrapped', 'salt', 'iv', 'iterations', 'claims', 'datakey', 'key', 'passphrase', 'username']) {
      expect(keys).not.toContain(forbidden);
    }
    const text = JSON.stringify(exported);
    for (const secret of ['c2FsdA==', 'aXY=', 'd3JhcHBlZA==', 'v1.sealed', 'correct horse', 'mbanda']) expect(text).not.toContain(secret);
  });
});
