import { describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '../../app/contract/envelope';

interface Exposed {
  name: string;
  api: unknown;
  invoked: unknown[][];
}
const exposed = vi.hoisted((): Exposed => ({ name: '', api: undefined, invoked: [] }));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (name: string, api: unknown) => {
      exposed.name = name;
      exposed.api = api;
    },
  },
  ipcRenderer: { invoke: (...args: unknown[]) => (exposed.invoked.push(args), Promise.resolve({ ok: true })) },
}));

describe('preload bridge', async () => {
  await import('./preload');

  it('exposes exactly one function, invoke, and nothing of ipcRenderer', () => {
    expect(exposed.name).toBe('clinicBridge');
    expect(Object.keys(exposed.api as object)).toEqual(['invoke']);
  });

  it('forwards a request on the contract channel only', async () => {
    const request = { id: '1', method: 'system.ping', params: { nonce: 'n' } };
    await (exposed.api as { invoke(r: unknown): Promise<unknown> }).invoke(request);
    expect(exposed.invoked).toEqual([[ipcChannel, request]]);
  });
});
