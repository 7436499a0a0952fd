import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { codeCommitment, composeEnrollmentCode, enrollmentProof, generateCodeSecret, generateHubPart } from '../../app/enrollment/enrollment-code';
import type { Databases } from '../../app/replication/replicated-collections';

/**
 * Test helpers that run the REAL hub: the CLI bundled exactly as `npm run hub`
 * bundles it, started as a child process on a free port, so a crash in the
 * engine would kill the process and show, and the admin commands run as the
 * separate processes they are in production. (For tests only; not shipped.)
 */

/**
 * The repository: the nearest folder up from this file that holds the hub's
 * sources. Found rather than fixed, so this module works from the source tree
 * and bundled into a benchmark runner anywhere below the root alike.
 */
const root = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'sync', 'hub', 'cli.ts'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('hub test support: no repository with sync/hub/cli.ts above this file');
    dir = up;
  }
  return dir;
})();
let bundle: Promise<string> | undefined;

/**
 * Built once per test worker, inside node_modules so the bundle's external
 * packages resolve. Each worker builds to its own file and renames it over the
 * shared one: workers run the same sources, so whichever rename lands last,
 * every worker runs what it built, and no per-worker files pile up.
 */
function hubBundle(): Promise<string> {
  bundle ??= (async () => {
    const folder = join(root, 'node_modules', '.cache', 'clinic-hub-tests');
    await mkdir(folder, { recursive: true });
    const outfile = join(folder, `hub-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
    await build({
      entryPoints: [join(root, 'sync/hub/cli.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    const shared = join(folder, 'hub.mjs');
    await rename(outfile, shared);
    return shared;
  })();
  return bundle;
}

export interface LogLine {
  level: string;
  event: string;
  [field: string]: unknown;
}

export interface HubProcess {
  /** The current URL; a restart keeps the port, so it stays the same. */
  url: string;
  dataDir: string;
  /** The current process (a new one after each restart). */
  child: ChildProcess;
  logs: LogLine[];
  /** Runs `admin <args…> --data <dataDir>` as its own process. */
  admin(...args: string[]): { status: number | null; stdout: string; stderr: string };
  /** SIGKILL, as a power cut or a crash would: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts the hub again on the same data folder and port (after `kill`, or killing it first). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Started {
  child: ChildProcess;
  url: string;
}

function spawnHub(file: string, dataDir: string, port: number, extraArgs: string[], logs: LogLine[]): Promise<Started> {
  const child = spawn(process.execPath, [file, '--port', String(port), '--data', dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    for (const line of text.split('\n')) {
      if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
    }
  });
  return new Promise<Started>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the hub did not start in time:\n${stderr}`)), 20_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code}:\n${stderr}`));
    });
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

export async function startHubProcess(extraArgs: string[] = []): Promise<HubProcess> {
  const file = await hubBundle();
  const dataDir = await mkdtemp(join(tmpdir(), 'clinic-hub-'));
  const logs: LogLine[] = [];
  let current = await spawnHub(file, dataDir, 0, extraArgs, logs);
  const port = Number(new URL(current.url).port);
  const hub: HubProcess = {
    get url() {
      return current.url;
    },
    dataDir,
    get child() {
      return current.child;
    },
    logs,
    admin(...args) {
      const result = spawnSync(process.execPath, [file, 'admin', ...args, '--data', dataDir], { encoding: 'utf8' });
      return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
    },
    async kill() {
      const gone = exited(current.child);
      current.child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      await hub.kill();
      // LevelDB's lock file is released with the process; the port is free again once the socket is closed.
      for (let attempt = 0; ; attempt++) {
        try {
          current = await spawnHub(file, dataDir, port, extraArgs, logs);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      if (current.child.exitCode === null && current.child.signalCode === null) {
        const gone = exited(current.child);
        current.child.kill('SIGTERM');
        await gone;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return hub;
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface Credentials {
  workstationId: string;
  secret: string;
  clinicId: string;
  databases: Databases;
  wrappedKey?: string;
}

export async function enrollWithCode(url: string, code: string, workstationName = 'Test workstation'): Promise<Response> {
  return fetch(`${url}_clinic/enroll`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ codeProof: await enrollmentProof(code), workstationName }),
  });
}

/** A well-formed code the hub never issued. */
export const unissuedCode = (): string => composeEnrollmentCode(generateCodeSecret(), generateHubPart());

/**
 * Deposits a code as an admin workstation does (`POST /_clinic/enrollment-codes`):
 * the commitment to a fresh secret part, and the wrap made under it; the
 * hub's answer gives the rest of the code.
 */
export async function depositCode(
  url: string,
  authorization: string,
  wrap: (secretPart: string) => Promise<string> | string = () => 'v1.c2FsdA==.aXY=.a2V5',
  expiresInHours?: number,
): Promise<{ response: Response; code: string | undefined; secretPart: string }> {
  const secretPart = generateCodeSecret();
  const response = await fetch(`${url}_clinic/enrollment-codes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify({ codeCommitment: await codeCommitment(secretPart), wrappedKey: await wrap(secretPart), ...(expiresInHours === undefined ? {} : { expiresInHours }) }),
  });
  const body = response.status === 201 ? ((await response.clone().json()) as { hubPart: string }) : undefined;
  return { response, code: body && composeEnrollmentCode(secretPart, body.hubPart), secretPart };
}

export async function enrolled(url: string, code: string, workstationName?: string): Promise<Credentials> {
  const response = await enrollWithCode(url, code, workstationName);
  if (response.status !== 201) throw new Error(`enrollment failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Credentials;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * node:http, for what fetch cannot do: a chosen source address, a lying Content-Length, a body streamed in chunks.
 *
 * A client sending a body the server refuses gets its answer while still
 * sending: it stops sending then, reads the answer, and takes a reset on a
 * later write (EPIPE, ECONNRESET) as the server's close, not as a failure.
 * A plain socket would destroy itself on that write error and take the answer
 * it had already received with it; so the request runs over a connection that
 * stops writing once the peer has gone or started to answer, and keeps every
 * byte it read.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Buffer[]; localAddress?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        createConnection: (connectOptions) =>
          answerKeepingConnection(connect({ ...(connectOptions as NetConnectOpts), localAddress: options.localAddress }), () => answered),
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8').on('data', (text: string) => (body += text));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          req.destroy(); // the rest of an unfinished body is not coming
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (Array.isArray(options.body)) {
      const chunks = [...options.body];
      const next = () => {
        if (answered) return;
        const chunk = chunks.shift();
        if (chunk === undefined) req.end();
        else if (req.write(chunk)) setImmediate(next);
        else req.once('drain', next);
      };
      next();
    } else {
      req.end(options.body);
    }
  });
}

/**
 * A connection whose writes end quietly once the peer is gone (or once the
 * answer has begun), and whose reads end at the peer's reset as at a close:
 * what was received before it is kept for the HTTP parser.
 */
function answerKeepingConnection(socket: Socket, answered: () => boolean): Duplex {
  let peerGone = false;
  const connection: Duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (peerGone || answered()) return callback();
      socket.write(chunk, () => callback()); // a failed write is reported on the socket's 'error'
    },
    final(callback) {
      if (!peerGone) socket.end();
      callback();
    },
    read() {
      socket.resume();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!connection.push(chunk)) socket.pause();
  });
  socket.on('end', () => connection.push(null));
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return connection.destroy(error);
    peerGone = true;
    connection.push(null);
  });
  return connection;
}

/**
 * A document in the shape the hub stores for a clinic's records database
 * (document-rules.ts): the clear header and a `sealed` text in the sealing
 * format, here random bytes (the hub cannot open sealed text, so its tests
 * need no key). `fields` overrides any of it.
 */
export function sealedShape(clinicId: string, fields: { _id: string } & Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'patient',
    clinicId,
    subject: '',
    updatedAt: 1_700_000_000_000,
    hlc: '001700000000000-00000-ws-test',
    deleted: false,
    sealed: `v1.${randomBytes(12).toString('base64')}.${randomBytes(48).toString('base64')}`,
    ...fields,
  };
}
