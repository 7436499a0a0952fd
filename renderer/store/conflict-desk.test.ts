import { afterEach, describe, expect, it } from 'vitest';
import { generateDataKey } from '../../app/crypto/keys';
import { sealRecord, type SealedRecord } from '../../app/records/sealed-record';
import { createConflictDesk } from './conflict-desk';
import { adminInput, closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12' };

describe('edits parked while locked', () => {
  it('are written back at unlock over a hub version that does not open, which is kept aside', async () => {
    const { db, keyring, clock } = await openTestStore();
    const { session } = await keyring.setupClinic(adminInput);
    const version = (hlc: string, dataKey: CryptoKey, payload: unknown) =>
      sealRecord(dataKey, { id: 'pat-1', type: 'patient', clinicId: session.clinicId, subject: 'pat-1', updatedAt: 1_700_000_000_000, hlc, deleted: false }, payload);
    const base = await version('001700000000000-00000-ws-a', session.dataKey, amina);
    const edit = await version('001700000000001-00000-ws-a', session.dataKey, { ...amina, phone: '+255712345678' });
    const foreign = await version('001700000000002-00000-intruder', await generateDataKey(), { ...amina, familyName: 'Forged' });
    const keptAside: SealedRecord[] = [];
    const desk = createConflictDesk(db, { clock, keepAside: (arrival) => Promise.resolve(void keptAside.push(arrival)), keepAsideStaff: () => Promise.resolve() });

    // Locked, the conflict handler took the hub's version and parked the edit.
    await desk.desk.park({ base, local: edit, remote: foreign });
    await db.records.insert(foreign);

    expect(await desk.mergeParked(session)).toBe(0);
    expect((await db.records.findOne('pat-1').exec())?.toMutableJSON()).toEqual(edit);
    expect(keptAside).toEqual([foreign]);
    expect(await db.local.count({ selector: { id: { $regex: '^parked-' } } }).exec()).toBe(0);
  });
});
