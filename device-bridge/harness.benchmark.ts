import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createPtyPair, type PtyPair } from './simulate/pty-pair';
import type { SerialTransportFactory } from './transports/serial-transport';
import type { WriterConfig, WriterReport } from './pty-writer.benchmark';

/**
 * What the pty benchmarks share: socat pairs that are always cleaned up, the
 * writer process, a tap on the serial transport, and a wait with a deadline.
 */

const open = new Set<PtyPair>();

/** A socat pty pair (the project's own createPtyPair), remembered until unplugged. */
export async function ptyPair(): Promise<PtyPair> {
  const pair = await createPtyPair();
  open.add(pair);
  return pair;
}

/** Ends socat and removes the pair's temporary folder. */
export async function unplug(pair: PtyPair): Promise<void> {
  open.delete(pair);
  await pair.unplug();
  await rm(dirname(pair.devicePort), { recursive: true, force: true });
}

/** Every pair still open (after an error, or on Ctrl-C): no socat outlives the benchmark. */
export async function unplugAll(): Promise<void> {
  await Promise.all([...open].map(unplug));
}

/** Runs pty-writer in its own process; resolves with its report once it has written every frame. */
export function runWriter(script: string, config: WriterConfig): Promise<WriterReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as WriterReport);
      else reject(new Error(`the pty writer failed (exit ${code}): ${err.trim()}`));
    });
  });
}

/** The production serial factory with a listener on every byte it delivers, called before the reading run sees them. */
export function tapSerial(factory: SerialTransportFactory, onBytes: (path: string, bytes: Uint8Array) => void): SerialTransportFactory {
  return {
    list: () => factory.list(),
    async open(path, settings) {
      const port = await factory.open(path, settings);
      return {
        write: (bytes) => port.write(bytes),
        onData: (listener) =>
          port.onData((bytes) => {
            onBytes(path, bytes);
            listener(bytes);
          }),
        onClose: (listener) => port.onClose(listener),
        close: () => port.close(),
      };
    },
  };
}

/** Resolves once `done()` holds, or after `timeoutMs` (the caller then reports what arrived). */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * CPU seconds (user + system) the socat processes this process started have
 * used, from /proc (Linux; 100 clock ticks a second). Undefined elsewhere.
 */
export function socatCpuSeconds(): number | undefined {
  try {
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // After the command: state, ppid, … utime is field 14 and stime 15 of the whole line.
      if (comm !== 'socat' || Number(fields[1]) !== process.pid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return undefined;
  }
}
