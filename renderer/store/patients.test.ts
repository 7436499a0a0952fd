import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateClinicNumber } from '../../app/patients/clinic-number';
import { sealRecord } from '../../app/records/sealed-record';
import type { StoreError } from './store-error';
import { createStoreServices } from './store-services';
import { createVault } from './vault';
import { closeTestStores, openTestStore } from './test-support';

afterEach(closeTestStores);

const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12', phone: '+255 712 345 678', village: 'Kisiwa', nationalId: 'TZ-1990-0412' };
const joseph = { givenNames: 'Joseph', familyName: 'Mwangi', sex: 'male', estimatedAgeYears: 45, phone: '0722 111 222', village: 'Mto wa Mbu' };

async function setup() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  return { db, vault };
}

describe('patients (store)', () => {
  it('registers, finds by a misspelt name, opens and edits a patient', async () => {
    const { vault } = await setup();
    const created = await vault.patients.register(amina);
    expect(created.clinicNumber).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    expect(vault.patients.search('Amnia Dialo')[0]?.id).toBe(created.id);
    expect((await vault.patients.get(created.id)).familyName).toBe('Diallo');
    await vault.patients.update(created.id, { ...amina, familyName: 'Diallo-Traoré' });
    expect(vault.patients.search('traore')[0]?.id).toBe(created.id);
  });

  it('explains invalid details per field with message keys, and stores nothing', async () => {
    const { vault, db } = await setup();
    const error = await vault.patients.register({ ...amina, familyName: '', birthDate: '2999-01-01' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid' });
    const fields = (error as StoreError).fields;
    expect(fields.familyName).toMatch(/^validation\.patient\./);
    expect(fields.birthDate).toMatch(/^validation\.patient\./);
    expect(await db.records.count({ selector: { type: 'patient' } }).exec()).toBe(0);
  });

  it('keeps every patient detail out of the stored documents', async () => {
    const { vault, db } = await setup();
    await vault.patients.register(amina);
    await vault.patients.register(joseph);
    const stored = JSON.stringify((await db.records.find().exec()).map((d) => d.toJSON()));
    for (const secret of ['Amina', 'Diallo', '712345678', 'TZ-1990', 'Kisiwa', 'Joseph', 'Mwangi', '722111222']) expect(stored).not.toContain(secret);
  });

  it('after lock, nothing can be read; after unlock, everything is searchable again', async () => {
    const { vault } = await setup();
    const a = await vault.patients.register(amina);
    await vault.lock();
    expect(() => vault.patients.search('amina')).toThrow(expect.objectContaining({ code: 'locked' }));
    await expect(vault.patients.get(a.id)).rejects.toMatchObject({ code: 'locked' });
    await expect(vault.login('asha', 'wrong passphrase!')).rejects.toMatchObject({ code: 'wrong_credentials' });
    await vault.login('asha', 'tide pools at dawn');
    expect(vault.patients.search('amina')[0]?.id).toBe(a.id);
  });

  it('lists the charts this person opened, newest first, and forgets them at lock', async () => {
    const { vault } = await setup();
    const a = await vault.patients.register(amina);
    const j = await vault.patients.register(joseph);
    expect(vault.patients.recent()).toEqual([]);
    await vault.patients.get(a.id);
    await vault.patients.get(j.id);
    await vault.patients.get(a.id);
    expect(vault.patients.recent().map((entry) => entry.id)).toEqual([a.id, j.id]);
    await vault.lock();
    expect(() => vault.patients.recent()).toThrow(expect.objectContaining({ code: 'locked' }));
    await vault.login('asha', 'tide pools at dawn');
    expect(vault.patients.recent()).toEqual([]);
  });

  it('stores a Zambian NRC as typed and finds it with or without its slashes', async () => {
    const { vault } = await setup();
    const created = await vault.patients.register({ ...amina, nationalId: '123456/78/1' });
    expect((await vault.patients.get(created.id)).nationalId).toBe('123456/78/1');
    expect(vault.patients.search('123456/78/1')[0]?.id).toBe(created.id);
    expect(vault.patients.search('123456781')[0]?.id).toBe(created.id);
  });

  it('lists a patient with an estimated age by that estimate, not a birth year', async () => {
    const { vault } = await setup();
    const created = await vault.patients.register(joseph);
    const entry = vault.patients.search('Joseph Mwangi')[0]?.entry;
    expect(entry?.birthYear).toBeUndefined();
    expect(entry?.estimatedAge).toEqual({ years: 45, registeredAt: created.createdAt });
  });

  it('a tampered record gives a clear error, stays stored, and the others still open', async () => {
    const { vault, db } = await setup();
    const a = await vault.patients.register(amina);
    const j = await vault.patients.register(joseph);
    const doc = (await db.records.findOne(a.id).exec())!.toMutableJSON();
    const body = doc.sealed.split('.');
    const bytes = Uint8Array.from(atob(body[2]!), (c) => c.charCodeAt(0));
    bytes[5]! ^= 0xff;
    await db.records.upsert({ ...doc, sealed: `${body[0]}.${body[1]}.${btoa(String.fromCharCode(...bytes))}` });

    await expect(vault.patients.get(a.id)).rejects.toMatchObject({ code: 'tampered' });
    expect((await vault.patients.get(j.id)).givenNames).toBe('Joseph');
    await vault.lock();
    await vault.login('asha', 'tide pools at dawn');
    const state = vault.state;
    expect(state.status === 'unlocked' && state.index).toEqual({ patients: 1, unreadable: [a.id] });
    expect(await db.records.findOne(a.id).exec()).not.toBeNull();
  });

  it('audits every create, read and update, and the chain verifies', async () => {
    const { vault } = await setup();
    const a = await vault.patients.register(amina);
    await vault.patients.get(a.id);
    await vault.patients.update(a.id, { ...amina, village: 'Pwani' });
    const kinds = (await vault.audit.list()).map((e) => e.event.subtype?.[0]?.code);
    expect(kinds).toEqual(expect.arrayContaining(['patient.create', 'patient.read', 'patient.update', 'user.login']));
    expect(await vault.audit.verify()).toMatchObject({ ok: true });
  });

  it('lets a nurse register and read patients but not read the audit log', async () => {
    const { vault } = await setup();
    await vault.keyring.addStaff({ displayName: 'Neema Nurse', username: 'neema', role: 'nurse', passphrase: 'mango season rain' });
    await vault.lock();
    await vault.login('neema', 'mango season rain');
    const p = await vault.patients.register(joseph);
    expect((await vault.patients.get(p.id)).familyName).toBe('Mwangi');
    await expect(vault.audit.list()).rejects.toMatchObject({ code: 'forbidden' });
    await expect(vault.keyring.listStaff()).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('after unlock, finds patients written while locked (as replication will) on top of the sealed index snapshot', async () => {
    const { vault, db } = await setup();
    const a = await vault.patients.register(amina);
    if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
    const { session } = vault.state;
    await vault.lock();
    const snapshot = await db.local.findOne('patient-index-snapshot').exec();
    expect(snapshot?.value).toMatch(/^v1\./);
    expect(snapshot?.value).not.toContain('Amina');

    const later = { ...joseph, id: 'pat-written-while-locked', clinicNumber: generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n))), createdAt: a.createdAt, updatedAt: a.updatedAt };
    await db.records.insert(await sealRecord(session.dataKey, { id: later.id, type: 'patient', clinicId: session.clinicId, subject: later.id, updatedAt: Date.now(), hlc: '009999999999999-00000-other', deleted: false }, later));

    await vault.login('asha', 'tide pools at dawn');
    expect(vault.patients.search('mwangi')[0]?.id).toBe(later.id);
    expect(vault.patients.search('amina')[0]?.id).toBe(a.id);
  });

  it('logs in while records keep arriving (a first pull), without waiting for them to stop, and finds each one once it is in', async () => {
    const { vault, db } = await setup();
    if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
    const { session } = vault.state;
    await vault.lock();
    const sealed = await Promise.all(
      Array.from({ length: 3000 }, async (_, i) => {
        const id = `pat-arrival-${i}`;
        const patient = { ...joseph, id, clinicNumber: generateClinicNumber((n) => crypto.getRandomValues(new Uint8Array(n))), createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
        return { patient, record: await sealRecord(session.dataKey, { id, type: 'patient', clinicId: session.clinicId, subject: id, updatedAt: Date.now(), hlc: `00999999999${String(i).padStart(4, '0')}-00000-other`, deleted: false }, patient) };
      }),
    );
    let arriving = true;
    let arrived = 0;
    // As a pull stores them, a batch at a time; before, the login went on until they stopped.
    const arrivals = (async () => {
      for (; arriving && arrived < sealed.length; arrived += 20) {
        await db.records.bulkInsert(sealed.slice(arrived, arrived + 20).map(({ record }) => record));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await vault.login('asha', 'tide pools at dawn');
    const stillArriving = arrived < sealed.length;
    arriving = false;
    await arrivals;
    expect(stillArriving).toBe(true);
    expect(vault.state.status).toBe('unlocked');
    const last = sealed[arrived - 1]?.patient;
    await vi.waitFor(() => expect(vault.patients.search(last?.clinicNumber ?? '')[0]?.id).toBe(last?.id), { timeout: 3000 });
  });

  it('rebuilds the index from the records when the snapshot is damaged', async () => {
    const { vault, db } = await setup();
    const a = await vault.patients.register(amina);
    await vault.lock();
    await db.local.upsert({ id: 'patient-index-snapshot', value: 'v1.AAAA.AAAA' });
    await vault.login('asha', 'tide pools at dawn');
    expect(vault.patients.search('amina')[0]?.id).toBe(a.id);
  });

  it('reports progress while the first unlock opens every record', async () => {
    const { vault, db } = await setup();
    for (const p of [amina, joseph]) await vault.patients.register(p);
    await vault.lock();
    await (await db.local.findOne('patient-index-snapshot').exec())?.remove();
    const seen: [number, number][] = [];
    await vault.login('asha', 'tide pools at dawn', (done, total) => seen.push([done, total]));
    expect(seen.at(-1)).toEqual([2, 2]);
  });
});

describe('a patient written here', () => {
  async function openServices() {
    const { db } = await openTestStore();
    const services = createStoreServices(db, { iterations: 1000 });
    const { session } = await services.keyring.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
    await services.patients.openIndex(session);
    return { db, services, session };
  }

  it('is indexed from the payload in hand and not opened again when the change feed brings it back', async () => {
    const { services, session } = await openServices();
    const created = await services.patients.register(session, amina);
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    try {
      await services.patients.catchUp(session);
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
    expect(services.patients.search(session, 'amina')[0]?.id).toBe(created.id);
  });

  it('arriving by sync while the index is being saved is opened once, not once by each', async () => {
    const { db, services, session } = await openServices();
    const arrivals = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const id = `pat-arrived-${i}`;
        return sealRecord(session.dataKey, { id, type: 'patient', clinicId: session.clinicId, subject: id, updatedAt: Date.now(), hlc: services.clock.tick(), deleted: false }, { ...amina, id, clinicNumber: `K-${1000 + i}` });
      }),
    );
    await db.records.bulkInsert(arrivals);
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    try {
      // A catch-up (records arriving) and the save at lock, each catching the index up first.
      await Promise.all([services.patients.catchUp(session), services.patients.closeIndex(session)]);
      expect(decrypt).toHaveBeenCalledTimes(40);
    } finally {
      decrypt.mockRestore();
    }
  });

  it('is opened again when another version of it arrives (merged, or pulled), so search shows that version', async () => {
    const { db, services, session } = await openServices();
    const created = await services.patients.register(session, amina);
    // Another workstation's edit of the same record, as sync would store it.
    const other = await sealRecord(session.dataKey, { id: created.id, type: 'patient', clinicId: session.clinicId, subject: created.id, updatedAt: Date.now(), hlc: services.clock.tick(), deleted: false }, { ...created, familyName: 'Mwakilema' });
    await db.records.upsert(other);
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    try {
      await services.patients.catchUp(session);
      expect(decrypt).toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
    expect(services.patients.search(session, 'mwakilema')[0]?.id).toBe(created.id);
  });
});
