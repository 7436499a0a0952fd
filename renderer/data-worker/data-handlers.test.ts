import { afterEach, describe, expect, it } from 'vitest';
import { dataApi, type DataMethod } from '../../app/contract/data-api';
import type { FromWorker } from '../data-channel/messages';
import { closeTestStores, openTestStore } from '../store/test-support';
import { createVault, type HubApi } from '../store/vault';
import { createDataHandlers, publicState } from './data-handlers';
import { answerCall } from './serve-data-api';

afterEach(closeTestStores);

/** The data worker's side with a real vault in memory; the main process is never reached in these cases. */
async function serve() {
  const { db } = await openTestStore();
  const vault = await createVault(db, { iterations: 1000 });
  const hub: HubApi = { call: () => Promise.reject(new Error('no main process in this test')) };
  const handlers = createDataHandlers(vault, hub, () => undefined);
  const posted: FromWorker[] = [];
  let nextId = 1;
  /** Calls a method as the screens would, through the same checks the worker applies, and returns what the screens would receive. */
  const call = async (method: DataMethod, params: unknown) => {
    const id = nextId++;
    await answerCall(handlers, id, method, params, (message) => posted.push(message));
    const answer = posted.find((m) => (m.kind === 'result' || m.kind === 'failure') && m.id === id);
    if (answer?.kind !== 'result') return answer;
    // What the screens then check it against.
    const checked = dataApi[method].result.safeParse(answer.value);
    if (!checked.success) throw new Error(`${method} answered off its contract: ${checked.error.message}`);
    return answer;
  };
  return { vault, call, posted };
}

/** Every CryptoKey reachable from a value, as a structured clone to another thread would carry it. */
function keysIn(value: unknown, seen = new Set<unknown>()): number {
  if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof CryptoKey) return 1;
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  return children.reduce((sum: number, child) => sum + keysIn(child, seen), 0);
}

const setup = { clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' };
const amina = { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1990-04-12', phone: '+255 712 345 678', village: 'Kisiwa' };

describe('the data worker’s boundary', () => {
  it('tells the screens who is working, never the data key the session holds', async () => {
    const { vault, call } = await serve();
    await call('vault.setupClinic', setup);
    expect(vault.state.status === 'unlocked' && vault.state.session.dataKey).toBeInstanceOf(CryptoKey);
    const shown = publicState(vault.state);
    expect(keysIn(shown)).toBe(0);
    expect(shown).toMatchObject({ status: 'unlocked', session: { username: 'asha', role: 'admin' } });
    expect(JSON.stringify(shown)).not.toContain('dataKey');
  });

  it('answers every read of an unlocked clinic within its contract, and none of them carries a key', async () => {
    const { call } = await serve();
    await call('vault.setupClinic', setup);
    const registered = await call('patients.register', { input: amina });
    if (registered?.kind !== 'result') throw new Error('registering failed');
    const patientId = (registered.value as { id: string }).id;
    await call('observations.record', {
      drafts: [{ id: 'obs-1', patientId, kind: 'spo2', code: '59408-5', value: 96, unit: '%', effectiveAt: '2026-11-21T10:00:00Z', recordedAt: '2026-11-21T10:00:05Z', recordedBy: 'unknown', source: { type: 'manual' }, onOxygen: false }],
    });
    await call('consents.record', { patientId, input: { status: 'active', date: '2026-01-05' } });
    const reads: [DataMethod, unknown][] = [
      ['patients.get', { id: patientId }],
      ['patients.search', { query: 'amina' }],
      ['patients.recent', {}],
      ['patients.labels', { ids: [patientId] }],
      ['observations.forPatient', { patientId }],
      ['consents.forPatient', { patientId }],
      ['facilities.list', {}],
      ['facilities.overrides', {}],
      ['staff.list', {}],
      ['staff.names', {}],
      ['clinicSettings.get', {}],
      ['workstations.names', {}],
      ['conflicts.list', {}],
      ['keptAside.list', {}],
      ['audit.list', {}],
      ['audit.verify', {}],
    ];
    for (const [method, params] of reads) {
      const answer = await call(method, params);
      expect(answer?.kind, method).toBe('result');
      expect(keysIn(answer), method).toBe(0);
    }
  });

  it('refuses params off the contract before any handler runs, and sends the store’s refusal as the store’s', async () => {
    const { vault, call } = await serve();
    expect(await call('vault.setupClinic', { ...setup, again: 'tide pools at dawn' })).toMatchObject({ kind: 'failure', error: { kind: 'unexpected' } });
    expect(vault.state.status).toBe('no-clinic');
    expect(await call('no.such.method' as DataMethod, {})).toMatchObject({ kind: 'failure', error: { kind: 'unexpected' } });
    expect(await call('patients.get', { id: 'pat-1' })).toMatchObject({ kind: 'failure', error: { kind: 'store', code: 'locked' } });
  });

  it('reports an unlock’s progress on the unlock call, ending with every record opened', async () => {
    const { call, posted } = await serve();
    await call('vault.setupClinic', setup);
    await call('patients.register', { input: amina });
    await call('vault.lock', { reason: 'user' });
    const before = posted.length;
    await call('vault.login', { username: 'asha', passphrase: 'tide pools at dawn' });
    const login = posted.slice(before);
    const answer = login.find((m) => m.kind === 'result');
    const progress = login.filter((m) => m.kind === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((m) => m.id === answer?.id)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)?.total });
  });
});
