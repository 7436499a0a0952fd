import type { WithDeleted } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { staffClaimsContext } from '../../app/auth/staff-claims';
import { generateDataKey, wrapWithPassphrase } from '../../app/crypto/keys';
import { sealPayload } from '../../app/crypto/seal';
import { sealRecord, type RecordHeader, type SealedRecord } from '../../app/records/sealed-record';
import { createRecordsConflictHandler, createStaffConflictHandler, type ConflictDesk, type ParkedConflict } from './conflict-handlers';
import { choosePulledStaff, choosePulledVersion } from './pulled-version';

const header = (hlc: string): RecordHeader => ({ id: 'pat-1', type: 'patient', clinicId: 'clinic-a', subject: 'pat-1', updatedAt: 1_700_000_000_000, hlc, deleted: false });
const patient = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12' };

async function versions() {
  const clinicKey = await generateDataKey();
  const local = await sealRecord(clinicKey, header('001700000000000-00000-ws-a'), patient);
  const goodArrival = await sealRecord(clinicKey, header('001700000000001-00000-ws-b'), { ...patient, phone: '+255712345678' });
  const foreignArrival = await sealRecord(await generateDataKey(), header('001700000000002-00000-intruder'), { ...patient, familyName: 'Forged' });
  // Altered on the way: a clear field changed under the same sealed text.
  const alteredArrival: SealedRecord = { ...goodArrival, subject: 'pat-2' };
  return { clinicKey, local, goodArrival, foreignArrival, alteredArrival };
}

describe('choosePulledVersion', () => {
  it('stores an arrival that opens under the clinic key', async () => {
    const { clinicKey, local, goodArrival } = await versions();
    expect(await choosePulledVersion({ dataKey: clinicKey, arrival: goodArrival, local })).toBe('arrival');
  });

  it('keeps the local version over an arrival sealed with another key, or altered', async () => {
    const { clinicKey, local, foreignArrival, alteredArrival } = await versions();
    expect(await choosePulledVersion({ dataKey: clinicKey, arrival: foreignArrival, local })).toBe('local');
    expect(await choosePulledVersion({ dataKey: clinicKey, arrival: alteredArrival, local })).toBe('local');
  });

  it('stores an arrival that does not open when there is nothing here that opens to protect', async () => {
    const { clinicKey, foreignArrival, alteredArrival } = await versions();
    expect(await choosePulledVersion({ dataKey: clinicKey, arrival: foreignArrival, local: undefined })).toBe('arrival');
    // The local version does not open either: the arrival is no worse, and the screens report it as unreadable.
    expect(await choosePulledVersion({ dataKey: clinicKey, arrival: foreignArrival, local: alteredArrival })).toBe('arrival');
  });

  it('takes the very version it already holds as the arrival, without opening anything', async () => {
    const { local } = await versions();
    // Another key: had it tried to open, the local version would have failed too.
    expect(await choosePulledVersion({ dataKey: await generateDataKey(), arrival: { ...local }, local })).toBe('arrival');
  });
});

describe('the records conflict handler, meeting a hub version that does not open', () => {
  function deskWith(dataKey: CryptoKey) {
    const keptAside: SealedRecord[] = [];
    const parked: ParkedConflict[] = [];
    const desk: ConflictDesk = {
      key: () => ({ dataKey, tick: () => '001700000000009-00000-ws-a', now: () => 1_700_000_000_009 }),
      saveConflicts: () => Promise.resolve(),
      park: (conflict) => Promise.resolve(void parked.push(conflict)),
      keepAside: (arrival) => Promise.resolve(void keptAside.push(arrival)),
      keepAsideStaff: () => Promise.reject(new Error('not a staff account test')),
    };
    return { desk, keptAside, parked };
  }
  const rx = (record: SealedRecord): WithDeleted<SealedRecord> => ({ ...record, _deleted: false });

  it('pushes the local edit over it and keeps it aside, instead of letting it replace the edit', async () => {
    const { clinicKey, local, foreignArrival } = await versions();
    const { desk, keptAside, parked } = deskWith(clinicKey);
    const handler = createRecordsConflictHandler(() => desk);
    const resolved = await handler.resolve({ assumedMasterState: rx(local), realMasterState: rx(foreignArrival), newDocumentState: rx(local) }, 'test');
    expect(resolved).toEqual(rx(local));
    expect(keptAside).toEqual([foreignArrival]);
    expect(parked).toEqual([]);
  });

  it('still merges a hub version that opens', async () => {
    const { clinicKey, local, goodArrival } = await versions();
    const { desk, keptAside } = deskWith(clinicKey);
    const handler = createRecordsConflictHandler(() => desk);
    const resolved = await handler.resolve({ assumedMasterState: rx(local), realMasterState: rx(goodArrival), newDocumentState: rx(local) }, 'test');
    expect(resolved.hlc).not.toBe(local.hlc);
    expect(keptAside).toEqual([]);
  });
});

describe('choosePulledStaff and the staff conflict handler', () => {
  async function accounts() {
    const clinicKey = await generateDataKey();
    const account = async (dataKey: CryptoKey, hlc: string, role: 'admin' | 'nurse') => {
      const base = { id: 'staff-1', clinicId: 'clinic-a', username: 'mary', wrap: await wrapWithPassphrase(dataKey, 'a long passphrase', 1_000) };
      const claims = await sealPayload(dataKey, staffClaimsContext(base), { username: 'mary', displayName: 'Mary Banda', role, disabled: false });
      return { ...base, updatedAt: 1_700_000_000_000, hlc, claims };
    };
    const local = await account(clinicKey, '001700000000000-00000-ws-a', 'nurse');
    const goodArrival = await account(clinicKey, '001700000000001-00000-ws-b', 'admin');
    const foreignArrival = await account(await generateDataKey(), '001700000000002-00000-intruder', 'admin');
    // The claims of the real account beside a wrap of someone else's: bound to the wrap, they no longer open.
    const swappedWrap = { ...local, wrap: foreignArrival.wrap, hlc: '001700000000003-00000-intruder' };
    return { clinicKey, local, goodArrival, foreignArrival, swappedWrap };
  }

  it('keeps the local account over one whose claims do not open, a swapped wrap included, and stores one that opens', async () => {
    const { clinicKey, local, goodArrival, foreignArrival, swappedWrap } = await accounts();
    expect(await choosePulledStaff({ dataKey: clinicKey, arrival: goodArrival, local })).toBe('arrival');
    expect(await choosePulledStaff({ dataKey: clinicKey, arrival: foreignArrival, local })).toBe('local');
    expect(await choosePulledStaff({ dataKey: clinicKey, arrival: swappedWrap, local })).toBe('local');
    expect(await choosePulledStaff({ dataKey: clinicKey, arrival: foreignArrival, local: undefined })).toBe('arrival');
  });

  it('pushes the local account over a hub version that does not open, keeping that one aside', async () => {
    const { clinicKey, local, foreignArrival } = await accounts();
    const keptAside: unknown[] = [];
    const desk: ConflictDesk = {
      key: () => ({ dataKey: clinicKey, tick: () => '001700000000009-00000-ws-a', now: () => 1_700_000_000_009 }),
      saveConflicts: () => Promise.resolve(),
      park: () => Promise.resolve(),
      keepAside: () => Promise.reject(new Error('not a record test')),
      keepAsideStaff: (arrival) => Promise.resolve(void keptAside.push(arrival)),
    };
    const handler = createStaffConflictHandler<typeof local>(() => desk);
    const rx = <T>(doc: T) => ({ ...doc, _deleted: false });
    expect(await handler.resolve({ assumedMasterState: rx(local), realMasterState: rx(foreignArrival), newDocumentState: rx(local) }, 'test')).toEqual(rx(local));
    expect(keptAside).toEqual([foreignArrival]);
  });
});
