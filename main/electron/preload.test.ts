import { describe, expect, it, vi } from 'vitest';
import { dataPortChannel, ipcChannel, ipcEventChannel } from '../../app/contract/envelope';

interface Exposed {
  name: string;
  api: unknown;
  invoked: unknown[][];
  posted: { channel: string; ports: unknown[] }[];
  channels: Map<string, ((event: unknown, payload: unknown) => void) | undefined>;
}
const exposed = vi.hoisted((): Exposed => ({ name: '', api: undefined, invoked: [], posted: [], channels: new Map() }));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: unknown) => {
      exposed.name = name;
      exposed.api = api;
    },
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => (exposed.invoked.push(args), Promise.resolve({ ok: true })),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => exposed.channels.set(channel, listener),
    off: (channel: string) => exposed.channels.set(channel, undefined),
    postMessage: (channel: string, _message: unknown, ports: unknown[]) => exposed.posted.push({ channel, ports }),
  },
}));

describe('preload bridge', async () => {
  await import('./preload');

  it('exposes exactly invoke, onEvent and openDataPort, and nothing of ipcRenderer', () => {
    expect(exposed.name).toBe('clinicBridge');
    expect(Object.keys(exposed.api as object).sort()).toEqual(['invoke', 'onEvent', 'openDataPort']);
  });

  it('opens the data worker’s port: one end to the main process on its channel, the other to this page only', () => {
    const toPage: { message: unknown; origin: string; ports: unknown[] }[] = [];
    vi.stubGlobal('window', { location: { origin: 'app://clinic' }, postMessage: (message: unknown, origin: string, ports: unknown[]) => toPage.push({ message, origin, ports }) });
    (exposed.api as { openDataPort(): void }).openDataPort();
    vi.unstubAllGlobals();
    expect(exposed.posted).toHaveLength(1);
    expect(exposed.posted[0]?.channel).toBe(dataPortChannel);
    expect(toPage).toEqual([{ message: { type: dataPortChannel }, origin: 'app://clinic', ports: [expect.anything()] }]);
    // Two ends of one channel, not one port handed to both.
    expect(toPage[0]?.ports[0]).not.toBe(exposed.posted[0]?.ports[0]);
  });

  it('passes on events from the event channel only, and stops when asked', () => {
    const heard: unknown[] = [];
    const stop = (exposed.api as { onEvent(l: (e: unknown) => void): () => void }).onEvent((e) => heard.push(e));
    exposed.channels.get(ipcEventChannel)?.({}, { type: 'event', topic: 'devices', payload: 1 });
    stop();
    exposed.channels.get(ipcEventChannel)?.({}, { type: 'event', topic: 'devices', payload: 2 });
    expect(heard).toEqual([{ type: 'event', topic: 'devices', payload: 1 }]);
  });

  it('forwards a request on the contract channel only', async () => {
    const request = { id: '1', method: 'system.ping', params: { nonce: 'n' } };
    await (exposed.api as { invoke(r: unknown): Promise<unknown> }).invoke(request);
    expect(exposed.invoked).toEqual([[ipcChannel, request]]);
  });
});
