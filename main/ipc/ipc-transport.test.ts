import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { createApiClient, type ClientDeviceEvent } from '../../app/contract/client';
import { ipcChannel, ipcEventChannel, limits } from '../../app/contract/envelope';
import { hidScript } from '../../device-bridge/simulate/hid-scripts';
import { createScriptedHidFactory } from '../../device-bridge/transports/scripted-hid';
import { createWorkstation } from '../compose';
import { testWorkstationOptions } from '../test-support';
import { registerIpcApi, sendIpcEvents } from './ipc-transport';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Registers the IPC API on a recording ipcMain and returns a way to invoke it as a frame would. */
async function setup() {
  const handlers = new Map<string, Listener>();
  const ipcMain: Pick<IpcMain, 'handle'> = { handle: (channel, listener) => void handlers.set(channel, listener) };
  registerIpcApi(ipcMain, (await createWorkstation(await testWorkstationOptions())).dispatcher);
  const listener = handlers.get(ipcChannel);
  if (!listener) throw new Error('no handler registered on the contract channel');
  const frames = new Map<string, object>();
  return (request: unknown, url = 'app://clinic/index.html') => {
    if (!frames.has(url)) frames.set(url, { url });
    const event = { senderFrame: frames.get(url) } as unknown as IpcMainInvokeEvent;
    return Promise.resolve(listener(event, request)) as Promise<Record<string, unknown>>;
  };
}

describe('Electron IPC transport', () => {
  it('serves a contract call from the app frame', async () => {
    const invoke = await setup();
    expect(await invoke({ id: 'i1', method: 'system.info', params: {} })).toMatchObject({ ok: true, result: { transport: 'ipc' } });
  });

  it.each(['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'not a url'])(
    'refuses a call from a frame showing %s',
    async (url) => {
      const invoke = await setup();
      expect(await invoke({ id: 'x', method: 'system.ping', params: { nonce: 'n' } }, url)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    },
  );

  it.each([
    ['a string', 'garbage', 'bad_request'],
    ['null', null, 'bad_request'],
    ['a value JSON cannot carry', { id: 'b', method: 'system.ping', params: { nonce: 10n } }, 'bad_request'],
    ['wrong param types', { id: 'c', method: 'settings.update', params: { locale: 5 } }, 'bad_request'],
    ['an unknown method', { id: 'd', method: 'fs.readFile', params: {} }, 'unknown_method'],
    ['an oversize payload', { id: 'e', method: 'system.ping', params: { nonce: 'x'.repeat(limits.maxRequestBytes + 1024) } }, 'too_large'],
  ])('answers %s with a typed error', async (_label, request, code) => {
    const invoke = await setup();
    expect(await invoke(request)).toMatchObject({ ok: false, error: { code } });
  });

  it('rate-limits a flooding frame and keeps serving', async () => {
    const invoke = await setup();
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => invoke({ id: `f${i}`, method: 'system.ping', params: { nonce: 'n' } })));
    expect(answers.filter((a) => (a.error as { code?: string } | undefined)?.code === 'rate_limited').length).toBeGreaterThan(500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await invoke({ id: 'later', method: 'system.ping', params: { nonce: 'n' } })).toMatchObject({ ok: true });
  });

  it('sends a reading run’s events to the window on the event channel, in envelopes the client reads by topic, until stopped', async () => {
    const options = await testWorkstationOptions();
    const workstation = await createWorkstation({ ...options, devices: { ...options.devices, hid: createScriptedHidFactory([hidScript('freestyle')]) } });
    // The window's side: the preload hands the renderer what arrives on the event channel, as a copy.
    const forwarded = new Set<(envelope: unknown) => void>();
    const channels: string[] = [];
    const stop = sendIpcEvents(
      {
        send: (channel: string, envelope: unknown) => {
          channels.push(channel);
          if (channel === ipcEventChannel) forwarded.forEach((l) => l(structuredClone(envelope)));
        },
      },
      workstation,
    );
    const client = createApiClient({
      kind: 'ipc',
      send: (request) => workstation.dispatcher.handleValue(request, { transport: 'ipc' }),
      onEvent: (listener) => (forwarded.add(listener), () => forwarded.delete(listener)),
    });
    const heard: ClientDeviceEvent[] = [];
    client.on('devices', (event) => heard.push(event));

    const { runId } = await client.call('devices.start', { deviceId: 'hid:simulated:freestyle', driver: 'freestyle' });
    const deadline = Date.now() + 10_000;
    while (!heard.some((e) => e.event === 'run.ended')) {
      if (Date.now() > deadline) throw new Error('the reading run did not end within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(new Set(channels)).toEqual(new Set([ipcEventChannel]));
    expect(heard.filter((e) => e.event === 'unreadable')).toEqual([]);
    expect(heard.some((e) => e.event === 'run.items' && e.runId === runId && e.items.some((i) => i.type === 'reading'))).toBe(true);
    expect(heard.find((e) => e.event === 'run.ended')).toMatchObject({ runId, reason: 'completed' });

    // Stopped: the next run's events (its device changes state at once) are no longer sent.
    stop();
    const before = channels.length;
    await client.call('devices.start', { deviceId: 'hid:simulated:freestyle', driver: 'freestyle' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(channels.length).toBe(before);
    await workstation.close();
  });
});
