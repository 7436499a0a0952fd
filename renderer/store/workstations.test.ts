import { afterEach, describe, expect, it } from 'vitest';
import { sealRecord, sealedRecordSchema } from '../../app/records/sealed-record';
import { workstationRecordId } from '../../app/workstations/workstation-record';
import { adminInput, closeTestStores, openTestStore } from './test-support';
import { createVault } from './vault';
import { createWorkstationDirectory } from './workstations';

afterEach(closeTestStores);

const otherWorkstation = 'ws-0123456789abcdef0123456789abcdef';

async function setup() {
  const { db, local, clock, keyring } = await openTestStore();
  const { session } = await keyring.setupClinic(adminInput);
  const directory = createWorkstationDirectory(db, local, { clock });
  const ownRecords = async () => (await db.records.find({ selector: { type: 'workstation' } }).exec()).map((doc) => doc.toMutableJSON());
  return { db, session, clock, directory, ownRecords };
}

describe('workstation directory (store)', () => {
  it('publishes this workstation’s name as one sealed record in the shape sync sends, the name never in clear', async () => {
    const { session, directory, ownRecords } = await setup();
    await directory.rememberOwnName('  Front desk ');
    await directory.publishOwn(session);

    const records = await ownRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: workstationRecordId(session.workstationId), type: 'workstation', clinicId: session.clinicId, subject: '', deleted: false });
    expect(sealedRecordSchema.safeParse(records[0]).success).toBe(true);
    expect(JSON.stringify(records)).not.toContain('Front desk');
    expect(await directory.names(session)).toEqual({ [session.workstationId]: 'Front desk' });
  });

  it('writes nothing new when the record already holds the name, and a new version when the name changed', async () => {
    const { db, session, directory, ownRecords } = await setup();
    await directory.rememberOwnName('Front desk');
    await directory.publishOwn(session);
    const [first] = await ownRecords();
    await directory.publishOwn(session);
    expect(await ownRecords()).toEqual([first]);

    await directory.rememberOwnName('Reception');
    await directory.publishOwn(session);
    const [renamed] = await ownRecords();
    expect(renamed!.hlc > first!.hlc).toBe(true);
    expect((await db.records.findOne(renamed!.id).exec())?.revision).toMatch(/^2-/);
    expect(await directory.names(session)).toEqual({ [session.workstationId]: 'Reception' });
  });

  it('publishes nothing while the name is unknown (a clinic set up without a hub), or after the hub link was undone', async () => {
    const { session, directory, ownRecords } = await setup();
    await directory.publishOwn(session);
    await directory.rememberOwnName('Front desk');
    await directory.forgetOwnName();
    await directory.publishOwn(session);
    expect(await ownRecords()).toEqual([]);
    expect(await directory.names(session)).toEqual({});
  });

  it('keeps no name the hub would refuse', async () => {
    const { session, directory, ownRecords } = await setup();
    await directory.rememberOwnName('bell\u0007');
    await directory.publishOwn(session);
    expect(await ownRecords()).toEqual([]);
  });

  it('reads the names other workstations published, skipping a record that does not open or does not hold a name', async () => {
    const { db, session, clock, directory } = await setup();
    const header = { type: 'workstation', clinicId: session.clinicId, subject: '', updatedAt: 1, hlc: clock.tick(), deleted: false } as const;
    await db.records.insert(await sealRecord(session.dataKey, { ...header, id: workstationRecordId(otherWorkstation) }, { name: 'Ward' }));
    await db.records.insert(await sealRecord(session.dataKey, { ...header, id: workstationRecordId('ws-no-name') }, { title: 'Ward' }));
    const damaged = await sealRecord(session.dataKey, { ...header, id: workstationRecordId('ws-damaged') }, { name: 'Pharmacy' });
    // Back-dating the clear header breaks the seal, as tampering would.
    await db.records.insert({ ...damaged, updatedAt: 0 });
    expect(await directory.names(session)).toEqual({ [otherWorkstation]: 'Ward' });
  });
});

describe('vault.workstations', () => {
  it('names this workstation to the clinic at unlock, once, and is refused while locked', async () => {
    const { db, local, clock } = await openTestStore();
    // As enrollment leaves it: the name kept, no key yet to seal it.
    await createWorkstationDirectory(db, local, { clock }).rememberOwnName('Front desk');
    const vault = await createVault(db, { iterations: 1000 });
    await vault.setupClinic(adminInput);
    const session = vault.state.status === 'unlocked' ? vault.state.session : undefined;
    expect(await vault.workstations.names()).toEqual({ [session!.workstationId]: 'Front desk' });

    await vault.lock();
    await expect(vault.workstations.names()).rejects.toMatchObject({ code: 'locked' });
    await vault.login(adminInput.username, adminInput.passphrase);
    const records = await db.records.find({ selector: { type: 'workstation' } }).exec();
    expect(records.map((doc) => doc.revision.slice(0, 2))).toEqual(['1-']);
  });
});
