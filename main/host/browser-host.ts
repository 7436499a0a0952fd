import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createWorkstation, type WorkstationOptions } from '../compose';
import { buildCsp, securityHeaders } from '../security/csp';
import { serveExportDownload } from './export-download';
import { createStaticHandler } from './static-server';
import { attachWebSocketApi } from './ws-transport';

export interface BrowserHostOptions extends WorkstationOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
}

export interface BrowserHost {
  /** The address to open, with the launch token in its fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer and the contract on one loopback port, so
 * any Chromium (a tablet on the same desk later) runs the workstation. Binds
 * 127.0.0.1 only; the per-launch token guards the API.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(`The workstation screens are not built in ${options.rendererDir}. Run "npm run build" first.`);
  }
  const workstation = await createWorkstation(options);
  const token = randomBytes(32).toString('base64url');
  let origins: string[] = [];
  const server = createServer();
  const ws = attachWebSocketApi({ server, token, workstation, allowedOrigins: () => origins, log: options.log });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  origins = [origin, `http://localhost:${port}`];
  const headers = securityHeaders(buildCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
  const serveStatic = createStaticHandler(options.rendererDir, headers);
  server.on('request', (req, res) => {
    const download = /^\/downloads\/([^/]+)$/.exec(new URL(req.url ?? '/', origin).pathname);
    const answer = download ? serveExportDownload(workstation, download[1]!, req, res, headers) : serveStatic(req, res);
    answer.catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
  });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: async () => {
      await ws.close();
      await workstation.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
