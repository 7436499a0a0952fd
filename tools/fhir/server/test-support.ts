import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The loopback FHIR server (fhir-server.ts) as a child process on a journal
 * of its own, for tests that kill it as a power cut would (SIGKILL: no
 * shutdown code runs) and start it again on the same journal and port.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let bundle: Promise<string> | undefined;

/** Built once per test worker, inside node_modules so the bundle's packages resolve; renamed into place, as the hub's is. */
function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    const folder = join(root, 'node_modules', '.cache', 'clinic-fhir-server-tests');
    await mkdir(folder, { recursive: true });
    const outfile = join(folder, `fhir-server-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
    await build({ entryPoints: [join(root, 'tools/fhir/server/cli.ts')], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile, logLevel: 'warning' });
    const shared = join(folder, 'fhir-server.mjs');
    await rename(outfile, shared);
    return shared;
  })();
  return bundle;
}

export interface FhirServerProcess {
  /** The base URL; a restart keeps the port, so it stays the same. */
  readonly url: string;
  readonly journal: string;
  kill(): Promise<void>;
  /** Starts it again on the same journal and port (killing it first if it runs). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFhirServerProcess(args: string[] = []): Promise<FhirServerProcess> {
  const file = await serverBundle();
  const journal = join(await mkdtemp(join(tmpdir(), 'clinic-fhir-server-')), 'journal.ndjson');
  let current = await spawnServer(file, ['--journal', journal, ...args]);
  const port = new URL(current.url).port;
  const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));
  const server: FhirServerProcess = {
    url: current.url,
    journal,
    async kill() {
      const gone = exited(current.child);
      current.child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      await server.kill();
      for (let attempt = 0; ; attempt++) {
        try {
          current = await spawnServer(file, ['--journal', journal, '--port', port, ...args]);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      const gone = exited(current.child);
      current.child.kill('SIGTERM');
      await gone;
    },
  };
  return server;
}

function spawnServer(file: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    let stdout = '';
    // Loading the R4 definitions for validation takes a few seconds.
    const timer = setTimeout(() => reject(new Error(`the FHIR server did not start in time:\n${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/fhir\/R4\/)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the FHIR server exited with ${code}:\n${stderr}`));
    });
  });
}
