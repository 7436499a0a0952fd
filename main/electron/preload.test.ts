import { describe, expect, it, vi } from 'vitest';
import { ipcEventChannel } from '../../app/contract/device-events';
import { ipcChannel } from '../../app/contract/envelope';

interface Exposed {
  name: string;
  api: unknown;
  invoked: unknown[][];
  channels: Map<string, ((event: unknown, payload: unknown) => void) | undefined>;
}
const exposed = vi.hoisted((): Exposed => ({ name: '', api: undefined, invoked: [], channels: new Map() }));

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
  },
}));

describe('preload bridge', async () => {
  await import('./preload');

  it('exposes exactly invoke and onEvent, and nothing of ipcRenderer', () => {
    expect(exposed.name).toBe('clinicBridge');
    expect(Object.keys(exposed.api as object).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('passes on events from the event channel only, and stops when asked', () => {
    const heard: unknown[] = [];
    const stop = (exposed.api as { onEvent(l: (e: unknown) => void): () => void }).onEvent((e) => heard.push(e));
    exposed.channels.get(ipcEventChannel)?.({}, { type: 'event', payload: 1 });
    stop();
    exposed.channels.get(ipcEventChannel)?.({}, { type: 'event', payload: 2 });
    expect(heard).toEqual([{ type: 'event', payload: 1 }]);
  });

  it('forwards a request on the contract channel only', async () => {
    const request = { id: '1', method: 'system.ping', params: { nonce: 'n' } };
    await (exposed.api as { invoke(r: unknown): Promise<unknown> }).invoke(request);
    expect(exposed.invoked).toEqual([[ipcChannel, request]]);
  });
});
