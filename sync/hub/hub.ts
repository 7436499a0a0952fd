import { createOdhIntake } from './odh/odh-intake';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { declareCollections, replicatedCollections, type ReplicatedCollection } from '../../app/replication/replicated-collections';
import { createAuthenticator } from './auth';
import { checkShapes, documentShapes, type DocumentShapes } from './document-rules';
import { startEngine } from './engine';
import { createFront } from './front';
import { silentLogger, type Logger } from '../../app/log/logger';
import { clinicDatabases, sharedDatabases } from '../protocol/naming';
import { createFailureLimiter } from './rate-limit';
import { openRegistryStore } from './registry-store';
import { startDirectoryApplier } from './directory/directory-applier';
import { createFacilityApi } from './directory/facility-api';
import { createRegionCache } from './region/region-store';

/** The embedded hub: registry + engine + front, listening on loopback. */
export interface HubOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** Web origins allowed to call from a browser page (none by default). */
  allowedOrigins?: readonly string[];
  /** Request body limit for replication requests (default 2 MiB). */
  maxBodyBytes?: number;
  /** Failed sign-ins one address may make per window before it has to wait (default 10 per 15 minutes). */
  maxAuthFailures?: number;
  log?: Logger;
  /**
   * The replicated collections served (default: this version's declarations,
   * app/replication/replicated-collections.ts) and the shapes of those
   * workstations write (default: document-rules.ts). The hub's databases, its
   * allow-list and its document checks all follow from these.
   */
  collections?: readonly ReplicatedCollection[];
  documentShapes?: DocumentShapes;
}

export interface RunningHub {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * 2 MiB: the sync client sends at most 1.5 million characters a request
 * (sync/client/hub-fetch.ts `maxPushBodyChars`, plus one record of at most
 * 256 KiB), and every other request is smaller; parsing what is allowed
 * must not keep other clinics waiting (BENCHMARKS.md, the hub's stall).
 */
export const defaultMaxBodyBytes = 2 * 1024 * 1024;
const failureWindowMs = 15 * 60_000;

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const log = options.log ?? silentLogger;
  // Checked as the declarations are, so a hub never serves a collection that would break its promises (clear data from workstations, say).
  const collections = declareCollections(options.collections ?? replicatedCollections);
  const shapes = options.documentShapes ?? documentShapes;
  checkShapes(collections, shapes);
  const registry = await openRegistryStore(options.dataDir);
  // Creates the registry (and this hub's stable id) on the first start; also proves it is readable before we listen.
  await registry.update(() => undefined);
  const engine = await startEngine(options.dataDir, log);
  // A registry restored from a backup may name clinics whose databases are not here yet; shared ones are made once, at the first start that declares them.
  const { clinics } = await registry.read();
  const clinicsDatabases = Object.keys(clinics).flatMap((id) => Object.values<string>(clinicDatabases(id, collections)));
  await engine.ensureDatabases([...new Set([...sharedDatabases(collections), ...clinicsDatabases])]);
  // The operator's facility directory, when this hub serves it (a hub built with other declarations may not).
  const [directoryName] = sharedDatabases(collections.filter((collection) => collection.name === 'facilities'));
  const directoryDatabase = directoryName === undefined ? undefined : await engine.openDatabase(directoryName);
  const directory = directoryDatabase ? await startDirectoryApplier({ dataDir: options.dataDir, database: directoryDatabase, log }) : undefined;
  const region = createRegionCache(options.dataDir);

  const maxAuthFailures = options.maxAuthFailures ?? 10;
  const front = createFront({
    registry,
    engine,
    authenticator: createAuthenticator(registry),
    log,
    allowedOrigins: new Set(options.allowedOrigins ?? []),
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    authLimiter: createFailureLimiter({ maxFailures: maxAuthFailures, windowMs: failureWindowMs }),
    idLimiter: createFailureLimiter({ maxFailures: maxAuthFailures, windowMs: failureWindowMs }),
    // Codes are rarer than sign-ins and a wrong one is never an honest retry loop.
    enrollLimiter: createFailureLimiter({ maxFailures: Math.min(maxAuthFailures, 10), windowMs: failureWindowMs }),
    collections,
    documentShapes: shapes,
    odh: createOdhIntake(options.dataDir),
    facilities: createFacilityApi({ dataDir: options.dataDir, directory: () => directory?.entries() ?? [], router: () => region.router() }),
    region,
  });
  const server = createServer(front);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: a hub reached from other machines sits behind a TLS-terminating proxy (sync/README.md).
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  log.info('hub.started', { port, origins: options.allowedOrigins?.length ?? 0 });

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Long-poll feeds would otherwise hold the server open until their next change.
      server.closeAllConnections();
      await closed;
      directory?.close();
      await engine.close();
      log.info('hub.stopped', {});
    },
  };
}
