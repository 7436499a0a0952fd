import { createApiClient, type ApiClient } from '../../app/contract/client';
import { createWebSocketTransport } from '../api/ws-transport';
import type { MainConnection } from '../data-channel/messages';
import { createPortTransport } from './port-transport';

/** The data worker's client of the main process, and how to wait until it is connected. */
export interface WorkerMainClient extends Pick<ApiClient, 'call'> {
  connected(): Promise<void>;
  /** Browser mode: the host restarted with a new launch token. */
  useToken(token: string): void;
}

/**
 * The worker's own line to the main process, since it sees neither the
 * preload's bridge nor the page's session storage: in Electron the port the
 * preload handed over; in browser mode a WebSocket to the host with the
 * launch token the page passed in its first message.
 */
export function connectToMain(connection: MainConnection): WorkerMainClient {
  if (connection.kind === 'port') {
    const client = createApiClient(createPortTransport(connection.port));
    return { call: (method, params) => client.call(method, params), connected: () => Promise.resolve(), useToken: () => undefined };
  }
  const transport = createWebSocketTransport(connection.url, connection.token);
  const client = createApiClient(transport);
  return {
    call: (method, params) => client.call(method, params),
    connected: () =>
      new Promise<void>((resolve) => {
        if (transport.state === 'connected') return resolve();
        const stop = transport.subscribe((state) => {
          if (state !== 'connected') return;
          stop();
          resolve();
        });
      }),
    useToken: (token) => transport.useToken(token),
  };
}
