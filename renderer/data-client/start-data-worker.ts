import type { Connection } from '../api/connect';
import { createDataClient, type DataClient } from './data-client';

/**
 * Starts a data worker and its client. The worker gets its own line to the
 * main process from the page's connection (a port in Electron, the host's
 * WebSocket and launch token in browser mode), and hears of a new token.
 */
export async function startDataWorker(connection: Connection): Promise<DataClient> {
  const line = await connection.lineForWorker();
  const worker = new Worker(new URL('../data-worker/data-worker.ts', import.meta.url), { type: 'module', name: 'clinic-data' });
  const client = createDataClient(worker, line);
  const stopForwarding = connection.onToken((token) => client.useToken(token));
  client.onHealth((health) => {
    if (health === 'stopped') stopForwarding();
  });
  return client;
}
