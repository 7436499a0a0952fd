import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wsPath } from '../../app/contract/websocket';
import { silentLogger } from '../../app/log/logger';
import { createWorkstation, type Workstation } from '../../main/compose';
import { attachWebSocketApi } from '../../main/host/ws-transport';
import { testWorkstationOptions } from '../../main/test-support';

/** A workstation's main process as a benchmark runs it beside its page. */
export interface BenchWorkstation {
  workstation: Workstation;
  /** Where it keeps its files (its hub link among them). */
  dataDir: string;
  /** The app's WebSocket API (browser mode's line to the main process) and its launch token. */
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * A workstation's main process as the app composes it (main/compose.ts, in
 * the benchmark's Node process), serving the app's WebSocket API to pages of
 * `pageOrigin`. `served` lets a benchmark put a timer around the dispatcher.
 */
export async function serveBenchWorkstation(
  pageOrigin: string,
  served: (workstation: Workstation) => Pick<Workstation, 'dispatcher' | 'subscribe'> = (workstation) => workstation,
): Promise<BenchWorkstation> {
  const options = await testWorkstationOptions();
  const workstation = await createWorkstation(options);
  const server = createServer();
  const token = randomBytes(32).toString('base64url');
  const api = attachWebSocketApi({ server, token, workstation: served(workstation), allowedOrigins: () => [pageOrigin], log: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    workstation,
    dataDir: options.dataDir,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}${wsPath}`,
    token,
    async close() {
      await api.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await workstation.close();
      await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}
