import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { ApiClient } from '../../app/contract/client';
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

/**
 * The main process's export files, in memory, with the same offsets and
 * rewind rules (main/export/export-files.ts). `control` makes it stop
 * answering after some appends (the service gone, the power cut), and its
 * `onCall` runs at each call (a test moves its fake clock on: an export
 * journals at most every few seconds).
 */
export function memoryMain() {
  const folders = new Map<string, Map<string, string>>();
  const control: { appendsLeft: number; onCall?: () => void } = { appendsLeft: Number.POSITIVE_INFINITY };
  const bytes = (text: string) => new TextEncoder().encode(text);
  const cut = (text: string, size: number) => new TextDecoder().decode(bytes(text).slice(0, size));
  const answer = (method: string, params: Record<string, unknown>) => {
    control.onCall?.();
    if (method === 'export.open') {
      const exportId = `fhir-20261206-101112-${String(params.format)}-0000000${folders.size}`;
      folders.set(exportId, new Map());
      return { exportId, folder: `/exports/${exportId}` };
    }
    const files = folders.get(String(params.exportId))!;
    if (method === 'export.append') {
      if (control.appendsLeft-- <= 0) throw new Error('the workstation service stopped');
      const before = files.get(String(params.file)) ?? '';
      if (Number(params.offset) > bytes(before).length) throw new Error('gap');
      const after = cut(before, Number(params.offset)) + String(params.text);
      files.set(String(params.file), after);
      return { size: bytes(after).length };
    }
    if (method === 'export.rewind') {
      const sizes = params.sizes as Record<string, number>;
      for (const [name, text] of files) {
        if (sizes[name] === undefined) files.delete(name);
        else files.set(name, cut(text, sizes[name]));
      }
      return {};
    }
    throw new Error(`not served here: ${method}`);
  };
  // Each answer is checked by the test's reading of it, not by the contract's types.
  const call = ((method: string, params: Record<string, unknown>) => new Promise<unknown>((resolve) => resolve(answer(method, params)))) as ApiClient['call'];
  return { main: { call }, folders, control };
}
