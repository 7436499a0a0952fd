import { createApiClient, type ApiClient } from '../../app/contract/client';
import { createWebSocketTransport } from '../../renderer/api/ws-transport';

/** The page's line to its main process as the app opens it in browser mode (the WebSocket API); resolves once connected. */
export async function connectToMain(url: string, token: string): Promise<ApiClient> {
  const transport = createWebSocketTransport(url, token);
  await new Promise<void>((resolve, reject) => {
    // A dropped first try is retried by the transport itself; only these two end the wait.
    const stop = transport.subscribe((state) => {
      if (state === 'connected') resolve();
      else if (state === 'unauthorized') reject(new Error('the main process refused the connection'));
      else return;
      stop();
    });
  });
  return createApiClient(transport);
}
