import { describe, expect, it } from 'vitest';
import { staffAccountSchema } from '../../app/auth/staff-account';
import { staffClaimsContext } from '../../app/auth/staff-claims';
import { generateDataKey, wrapWithPassphrase } from '../../app/crypto/keys';
import { sealPayload } from '../../app/crypto/seal';
import { sealRecord } from '../../app/records/sealed-record';
import { replicatedCollections } from '../../app/replication/replicated-collections';
import { checkShapes, refusalOf as refusalIn } from './document-rules';

// The rule the hub applies to every document a workstation writes, against
// what the workstation's own code really produces.

const clinicId = `clinic-${'a'.repeat(32)}`;
const otherClinic = `clinic-${'b'.repeat(32)}`;
const declared = (name: string) => replicatedCollections.find((collection) => collection.name === name)!;
const refusalOf = (name: 'records' | 'staff', clinic: string, doc: unknown) => refusalIn(declared(name), clinic, doc);
const couch = <T extends { id: string }>({ id, ...rest }: T) => ({ _id: id, ...rest });

async function realRecord(type: 'patient' | 'workstation' = 'patient') {
  const dataKey = await generateDataKey();
  const header = { id: 'patient-1', type: type as 'patient', clinicId, subject: 'patient-1', updatedAt: 1_700_000_000_000, hlc: '001700000000000-00000-ws-1', deleted: false };
  return couch(await sealRecord(dataKey, header, { name: 'Amina Diallo' }));
}

async function realStaffAccount() {
  const dataKey = await generateDataKey();
  const base = { id: 'staff-1', clinicId, username: 'mary', wrap: await wrapWithPassphrase(dataKey, 'a long passphrase', 1_000) };
  const claims = await sealPayload(dataKey, staffClaimsContext(base), { username: 'mary', displayName: 'Mary Banda', role: 'nurse', disabled: false });
  return couch(staffAccountSchema.parse({ ...base, updatedAt: 1, hlc: '001700000000000-00000-ws-1', claims }));
}

describe('what a workstation may store on the hub', () => {
  it('takes the records and staff accounts the workstation really writes, with CouchDB’s own fields', async () => {
    const record = await realRecord();
    expect(refusalOf('records', clinicId, record)).toBeUndefined();
    expect(refusalOf('records', clinicId, { ...record, _rev: '2-abc', _deleted: false, _revisions: { start: 2, ids: ['abc', 'def'] } })).toBeUndefined();
    // A record type this hub has not heard of: a newer workstation's.
    expect(refusalOf('records', clinicId, { ...record, type: 'referral' })).toBeUndefined();
    expect(refusalOf('staff', clinicId, await realStaffAccount())).toBeUndefined();
  });

  it('refuses clear fields, a missing or malformed sealed text, another clinic, and one collection’s documents in the other', async () => {
    const record = await realRecord();
    const unsealed: Record<string, unknown> = { ...record };
    delete unsealed.sealed;
    expect(refusalOf('records', clinicId, { ...record, name: 'Amina Diallo' })).toMatch(/fields the hub does not store in clear \(name\)/);
    expect(refusalOf('records', clinicId, unsealed)).toMatch(/sealed is missing/);
    expect(refusalOf('records', clinicId, { ...record, sealed: 'v1.plain.text' })).toMatch(/sealed is not in the sealed form/);
    expect(refusalOf('records', clinicId, { ...record, type: 'Patient name' })).toMatch(/type/);
    expect(refusalOf('records', otherClinic, record)).toMatch(/another clinic/);
    expect(refusalOf('staff', clinicId, record)).toMatch(/^Refused/);
    expect(refusalOf('records', clinicId, await realStaffAccount())).toMatch(/^Refused/);
    expect(refusalOf('staff', clinicId, { ...(await realStaffAccount()), claims: '{"role":"admin"}' })).toMatch(/claims/);
  });

  it('never repeats a value or a key a person could have typed', async () => {
    const reason = refusalOf('records', clinicId, { ...(await realRecord()), 'Amina Diallo HIV+': true, subject: 'Amina Diallo' }) ?? '';
    expect(reason).toMatch(/^Refused/);
    expect(reason.toLowerCase()).not.toContain('amina');
  });

  it('takes a deletion only as the sealed record marked deleted, never bare', async () => {
    const record = await realRecord();
    expect(refusalOf('records', clinicId, { ...record, _deleted: true })).toBeUndefined();
    expect(refusalOf('records', clinicId, { _id: 'x', _rev: '2-abc', _deleted: true })).toMatch(/^Refused/);
    expect(refusalOf('records', clinicId, { _id: 'x', _deleted: true, name: 'Amina' })).toMatch(/^Refused/);
  });

  it('refuses every workstation write to a collection the hub operator keeps, whatever its shape', async () => {
    const directory = { name: 'facilities', content: 'clear', direction: 'pull', scope: 'shared', writtenBy: 'hub-operator' } as const;
    // Even a document of the right clinic in the sealed form: it is who writes, not what, that is refused.
    expect(refusalIn(directory, clinicId, await realRecord())).toMatch(/kept by the hub operator/);
  });

  it('will not start a hub unable to check a collection workstations write', () => {
    const notes = { name: 'notes', content: 'sealed', direction: 'both', scope: 'clinic', writtenBy: 'workstations' } as const;
    expect(() => checkShapes(replicatedCollections)).not.toThrow();
    expect(() => checkShapes([...replicatedCollections, notes])).toThrow(/notes/);
    // And if asked anyway, such a document is refused, never stored unchecked.
    expect(refusalIn(notes, clinicId, { _id: 'n1', clinicId })).toMatch(/^Refused/);
  });
});
