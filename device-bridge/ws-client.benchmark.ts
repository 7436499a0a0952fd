import WebSocket from 'ws';
import { createApiClient, type ApiClient, type Transport } from '../app/contract/client';
import { responseSchema, type RequestEnvelope } from '../app/contract/envelope';
import { wsPath, wsProtocol, wsTokenPrefix } from '../app/contract/websocket';

/**
 * The browser's side of the WebSocket, in Node for the benchmark: the same
 * steps as renderer/api/ws-transport.ts (JSON.parse every message, events to
 * the listeners, answers to their pending call), under the app's own
 * createApiClient, which validates every event against the contract before a
 * listener sees it, as the screen does.
 */
export interface BenchWsClient {
  api: ApiClient;
  close(): Promise<void>;
}

/** A text frame's bytes as a string, whichever form ws delivered them in. */
const text = (data: WebSocket.RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');

export async function connectWsClient(origin: string, token: string): Promise<BenchWsClient> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${wsPath}`, [wsProtocol, wsTokenPrefix + token]);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const eventListeners = new Set<(envelope: unknown) => void>();
  const pending = new Map<string, (value: unknown) => void>();
  ws.on('message', (data: WebSocket.RawData) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text(data));
    } catch {
      return;
    }
    if (typeof parsed === 'object' && parsed !== null && 'type' in parsed && parsed.type === 'event') {
      eventListeners.forEach((listener) => listener(parsed));
      return;
    }
    const response = responseSchema.safeParse(parsed);
    if (response.success && response.data.id !== null) {
      pending.get(response.data.id)?.(parsed);
      pending.delete(response.data.id);
    }
  });
  const transport: Transport = {
    kind: 'websocket',
    send: (request: RequestEnvelope) =>
      new Promise((resolve) => {
        pending.set(request.id, resolve);
        ws.send(JSON.stringify(request));
      }),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };
  return {
    api: createApiClient(transport),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
