import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createHlcClock } from '../../app/records/hlc';
import { openClinicDatabase } from './database';
import { createKeyring } from './keyring';
import { createLocalState } from './local-state';
import { createVault } from './vault';

let counter = 0;
const open: { close(): Promise<boolean> }[] = [];

/** RxDB's free tier allows 13 open collections per process: tests close their stores after each case. */
export async function closeTestStores(): Promise<void> {
  await Promise.all(open.splice(0).map((db) => db.close()));
}

/** A fresh in-memory store for tests under Node; the browser uses IndexedDB (Dexie). */
export async function openTestStore() {
  const db = await openClinicDatabase(getRxStorageMemory(), `test${Date.now().toString(36)}${counter++}`);
  open.push(db);
  const local = createLocalState(db);
  const clock = createHlcClock('ws-test');
  // Lowered PBKDF2 cost keeps the suite fast; keys.test.ts checks the production figure.
  const keyring = createKeyring(db, local, { iterations: 1000, clock });
  return { db, local, clock, keyring };
}

export const adminInput = { clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' };

/** A new clinic's store with its admin logged in, through the vault as the data worker serves it. */
export async function adminVault() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  await vault.setupClinic(adminInput);
  if (vault.state.status !== 'unlocked') throw new Error('not unlocked');
  return { db, vault, userId: vault.state.session.userId };
}

/** A reading as the capture screen sends it: an SpO2 from an oximeter, on air. */
export const spo2Draft = (patientId: string, userId: string, value: number, id = 'obs-1') => ({
  id,
  patientId,
  kind: 'spo2',
  code: '59408-5',
  value,
  unit: '%',
  effectiveAt: '2026-11-21T10:00:00Z',
  recordedAt: '2026-11-21T10:00:05Z',
  recordedBy: userId,
  source: { type: 'device', device: { driver: 'cms50d', manufacturer: 'Contec Medical Systems', model: 'CMS50D+' }, raw: '8f4a0b4a60' },
  onOxygen: false,
});
