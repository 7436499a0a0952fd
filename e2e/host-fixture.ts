import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
}

/**
 * Starts the real browser-mode host exactly as `npm run serve` does (the built
 * dist/host/serve.mjs), on a free port with a fresh data folder, and reads the
 * address it prints. With `--simulate` it starts the development build that
 * has the simulated HID devices (dist/dev/serve-simulated.mjs, as
 * `npm run serve:simulated`): the shipped host has none.
 */
export async function startHost(dataDir?: string, port = 0, extraArgs: string[] = []): Promise<RunningHost> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'clinic-e2e-')));
  const entry = extraArgs.includes('--simulate') ? 'dist/dev/serve-simulated.mjs' : 'dist/host/serve.mjs';
  const child = spawn(process.execPath, [entry, '--port', String(port), '--data', dir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the host printed no address within 20 s')), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('http://')) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`the host exited with ${code} before printing its address`)));
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '', dataDir: dir, process: child };
}

export async function stopHost(host: RunningHost, keepData = false): Promise<void> {
  if (host.process.exitCode === null) {
    const exited = new Promise((resolve) => host.process.once('exit', resolve));
    host.process.kill('SIGTERM');
    await exited;
  }
  if (!keepData) await rm(host.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ host: RunningHost }>({
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await stopHost(host);
  },
});
export { expect } from '@playwright/test';
