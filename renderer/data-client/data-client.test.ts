import { describe, expect, it, vi } from 'vitest';
import type { VaultState } from '../../app/contract/data-api';
import { toWire } from '../data-channel/errors';
import type { FromWorker, MainConnection, ToWorker } from '../data-channel/messages';
import { StoreError } from '../store/store-error';
import { createDataClient, DataServiceStoppedError, type WorkerEndpoint } from './data-client';

/** A stand-in worker: records what the client sends, and lets the test answer as the worker would. */
function fakeWorker() {
  const sent: { message: ToWorker; transfer?: Transferable[] }[] = [];
  let terminated = false;
  const endpoint: WorkerEndpoint = {
    postMessage: (message, transfer) => void sent.push({ message, transfer }),
    onmessage: null,
    onerror: null,
    terminate: () => void (terminated = true),
  };
  return {
    endpoint,
    sent,
    get terminated() {
      return terminated;
    },
    reply: (message: FromWorker | Record<string, unknown>) => endpoint.onmessage?.({ data: message } as MessageEvent),
    lastCallId: () => {
      const call = sent.map((s) => s.message).filter((m) => m.kind === 'call').at(-1);
      if (call?.kind !== 'call') throw new Error('no call sent');
      return call.id;
    },
  };
}

const socket: MainConnection = { kind: 'websocket', url: 'ws://127.0.0.1:1/api', token: 't' };
const locked: VaultState = { status: 'locked', clinicName: 'Kisiwa', reason: 'start' };


describe('the screens’ client of the data worker', () => {
  it('starts the worker with its line to the main process, handing a port over rather than copying it', () => {
    const worker = fakeWorker();
    createDataClient(worker.endpoint, socket);
    const start = worker.sent[0]?.message;
    expect(start?.kind === 'start' && start.connection).toEqual(socket);
    expect(start?.kind === 'start' && start.lifeLock).toMatch(/^clinic-data-worker-/);
    expect(worker.sent[0]?.transfer).toEqual([]);
    const port = new MessageChannel().port1;
    const electron = fakeWorker();
    createDataClient(electron.endpoint, { kind: 'port', port });
    expect(electron.sent[0]?.transfer).toEqual([port]);
    port.close();
  });

  it('is ready once the worker tells its state, and keeps the latest state for late subscribers', () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    expect(client.health).toBe('starting');
    worker.reply({ kind: 'event', topic: 'state', payload: locked });
    expect(client.health).toBe('ready');
    expect(client.latest('state')).toEqual(locked);
  });

  it('locks the screens at once, before the worker has answered the lock', () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const unlocked: VaultState = {
      status: 'unlocked',
      clinicName: 'Kisiwa',
      session: { userId: 'u1', username: 'asha', displayName: 'Asha', role: 'admin', disabled: false, clinicId: 'c1', workstationId: 'w1' },
      index: { patients: 0, unreadable: [] },
    };
    worker.reply({ kind: 'event', topic: 'state', payload: unlocked });
    const heard: VaultState[] = [];
    client.on('state', (state) => heard.push(state));
    void client.lock('user');
    // Nothing has come back from the worker yet, and the screens are already locked.
    expect(heard).toEqual([{ status: 'locked', clinicName: 'Kisiwa', reason: 'user' }]);
    expect(client.latest('state')?.status).toBe('locked');
    expect(worker.sent.at(-1)?.message).toMatchObject({ kind: 'call', method: 'vault.lock' });
  });

  it('drops an event that breaks its topic’s schema, so no screen acts on it', () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const heard: unknown[] = [];
    client.on('state', (state) => heard.push(state));
    worker.reply({ kind: 'event', topic: 'state', payload: { status: 'unlocked', clinicName: 'Kisiwa', session: { userId: 'u1', dataKey: {} } } });
    worker.reply({ kind: 'event', topic: 'no-such-topic', payload: {} });
    expect(heard).toEqual([]);
    expect(client.latest('state')).toBeUndefined();
  });

  it('resolves a call with its result checked against the contract, and fails one answered off-contract', async () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const names = client.call('staff.names', {});
    worker.reply({ kind: 'result', id: worker.lastCallId(), value: { u1: 'Asha Mbeki' } });
    await expect(names).resolves.toEqual({ u1: 'Asha Mbeki' });
    const verdict = client.call('audit.verify', {});
    worker.reply({ kind: 'result', id: worker.lastCallId(), value: { ok: 'yes' } });
    await expect(verdict).rejects.toThrow('The data service failed unexpectedly.');
  });

  it('sends a reading run’s 10,000 readings as their JSON text, and the Lock pressed while it is written after them', async () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const drafts = Array.from({ length: 10_000 }, (_, i) => ({ id: `r-${i}`, kind: 'spo2', value: 90 + (i % 10) }));
    void client.call('observations.record', { drafts });
    void client.lock('user');
    await vi.waitFor(() => expect(worker.sent.filter((s) => s.message.kind === 'call')).toHaveLength(2));
    const [record, lock] = worker.sent.map((s) => s.message).filter((m) => m.kind === 'call');
    expect(record).toMatchObject({ method: 'observations.record', params: JSON.stringify({ drafts }) });
    expect(lock).toMatchObject({ method: 'vault.lock', params: JSON.stringify({ reason: 'user' }) });
  });

  it('turns a failure back into the store’s own error, with its code and field keys, for the screens’ plain words', async () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const added = client.call('staff.add', { displayName: 'A', username: 'x', role: 'nurse', passphrase: 'short' });
    worker.reply({ kind: 'failure', id: worker.lastCallId(), error: toWire(new StoreError('invalid', 'A user name has 3 to 32 letters.', { username: 'staff.usernameInvalid' })) });
    const error: unknown = await added.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'invalid', fields: { username: 'staff.usernameInvalid' } });
  });

  it('passes a first unlock’s progress to the screen that asked', async () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const progress: [number, number][] = [];
    const login = client.call('vault.login', { username: 'asha', passphrase: 'tide pools at dawn' }, { onProgress: (done, total) => progress.push([done, total]) });
    const id = worker.lastCallId();
    worker.reply({ kind: 'progress', id, done: 500, total: 1000 });
    worker.reply({ kind: 'progress', id, done: 1000, total: 1000 });
    worker.reply({ kind: 'result', id, value: {} });
    await login;
    expect(progress).toEqual([
      [500, 1000],
      [1000, 1000],
    ]);
  });

  it('ends a worker that threw: its calls fail in words that say to check, and it is terminated with the key it held', async () => {
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket);
    const health: string[] = [];
    client.onHealth((h) => health.push(h));
    const saving = client.call('patients.register', { input: { givenNames: 'Amina' } });
    worker.endpoint.onerror?.({} as ErrorEvent);
    await expect(saving).rejects.toBeInstanceOf(DataServiceStoppedError);
    expect(worker.terminated).toBe(true);
    expect(health).toEqual(['stopped']);
    await expect(client.call('staff.names', {})).rejects.toBeInstanceOf(DataServiceStoppedError);
  });

  it('notices a worker that ended without a word once its life lock comes free, and only after it told its state', async () => {
    const released = new Map<string, () => void>();
    const waitedFor: string[] = [];
    const whenGone = (name: string) => (waitedFor.push(name), new Promise<void>((resolve) => released.set(name, resolve)));
    const worker = fakeWorker();
    const client = createDataClient(worker.endpoint, socket, whenGone);
    // Before its first state the worker may not hold its lock yet: waiting then would find it free.
    expect(waitedFor).toEqual([]);
    worker.reply({ kind: 'event', topic: 'state', payload: locked });
    const start = worker.sent[0]?.message;
    expect(waitedFor).toEqual([start?.kind === 'start' ? start.lifeLock : 'no start']);
    const pendingCall = client.call('staff.names', {});
    released.get(waitedFor[0]!)?.();
    await expect(pendingCall).rejects.toBeInstanceOf(DataServiceStoppedError);
    expect(client.health).toBe('stopped');
    expect(worker.terminated).toBe(true);
  });
});
