import type { MainConnection } from '../../renderer/data-channel/messages';
import { createDataClient, type DataClient } from '../../renderer/data-client/data-client';

/** The app's data worker on the benchmark page, with its client; resolves once the worker has told its first state. */
export async function startBenchDataWorker(connection: MainConnection): Promise<DataClient> {
  const worker = new Worker(new URL('../../renderer/data-worker/data-worker.ts', import.meta.url), { type: 'module', name: 'clinic-data' });
  const client = createDataClient(worker, connection);
  await new Promise<void>((resolve) => {
    const stop = client.on('state', () => (stop(), resolve()));
  });
  return client;
}
