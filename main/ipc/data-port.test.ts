import type { IpcMain, IpcMainEvent } from 'electron';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createApiClient, type Transport } from '../../app/contract/client';
import { dataPortChannel, limits, type RequestEnvelope } from '../../app/contract/envelope';
import { createWorkstation } from '../compose';
import { testWorkstationOptions } from '../test-support';
import { registerDataPorts } from './ipc-transport';

type PortListener = (event: IpcMainEvent) => void;

/** Electron's MessagePortMain delivers `{ data }`; Node's port the value itself: this gives Node's port Electron's shape. */
function asMainPort(port: MessagePort) {
  return {
    on: (_event: 'message', listener: (message: { data: unknown }) => void) => port.on('message', (data: unknown) => listener({ data })),
    postMessage: (message: unknown) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  };
}

/** The data worker's end as a transport: requests out, answers matched by id. */
function workerEnd(port: MessagePort): Transport {
  const waiting = new Map<string, (answer: unknown) => void>();
  port.on('message', (answer: { id?: string }) => {
    if (typeof answer.id === 'string') waiting.get(answer.id)?.(answer);
  });
  return {
    kind: 'ipc',
    send: (request: RequestEnvelope) => new Promise((resolve) => (waiting.set(request.id, resolve), port.postMessage(request))),
    onEvent: () => () => {},
  };
}

/** Registers the port handler on a recording ipcMain; `open` hands it a new port as the preload would, from a frame showing `url`. */
async function setup() {
  let listener: PortListener | undefined;
  const ipcMain = { on: (channel: string, l: PortListener) => void (channel === dataPortChannel && (listener = l)) } as unknown as Pick<IpcMain, 'on'>;
  registerDataPorts(ipcMain, (await createWorkstation(await testWorkstationOptions())).dispatcher);
  return (url = 'app://clinic/index.html') => {
    const { port1, port2 } = new MessageChannel();
    listener?.({ ports: [asMainPort(port1)], senderFrame: { url } } as unknown as IpcMainEvent);
    return port2;
  };
}

describe('the data worker’s port to the main process', () => {
  it('serves the contract to the data worker on a port the app’s own page opened', async () => {
    const open = await setup();
    const port = open();
    const client = createApiClient(workerEnd(port));
    expect(await client.call('system.info', {})).toMatchObject({ transport: 'ipc' });
    expect(await client.call('hub.status', {})).toEqual({ linked: false });
    port.close();
  });

  it('closes a port opened from any other page without answering it', async () => {
    const open = await setup();
    const port = open('https://evil.example/');
    const closed = new Promise<void>((resolve) => port.once('close', () => resolve()));
    port.postMessage({ id: 'x', method: 'system.ping', params: { nonce: 'n' } });
    await closed;
  });

  it('answers a broken or oversize request with a typed error, as on the IPC channel', async () => {
    const open = await setup();
    const port = open();
    const answers: unknown[] = [];
    const two = new Promise<void>((resolve) =>
      port.on('message', (answer: unknown) => {
        answers.push(answer);
        if (answers.length === 2) resolve();
      }),
    );
    port.postMessage({ id: 'a', method: 'system.ping', params: { nonce: 10n } });
    port.postMessage({ id: 'b', method: 'system.ping', params: { nonce: 'x'.repeat(limits.maxRequestBytes + 1024) } });
    await two;
    const codes = answers.map((answer) => (answer as { ok?: boolean; error?: { code?: string } }).error?.code).sort();
    expect(codes).toEqual(['bad_request', 'too_large']);
    port.close();
  });
});
