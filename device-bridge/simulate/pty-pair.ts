import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end the workstation opens, as it would a USB-serial port. */
  devicePort: string;
  /** The end a simulator writes the device's bytes into. */
  simulatorPort: string;
  /** Ends both ptys, as pulling the cable does. */
  unplug(): Promise<void>;
}

/** A pair of linked pseudo-terminals made by socat (a pty ignores baud rate: writers pace themselves). */
export async function createPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'clinic-pty-'));
  const devicePort = join(dir, 'device');
  const simulatorPort = join(dir, 'simulator');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${devicePort}`, `pty,raw,echo=0,link=${simulatorPort}`], { stdio: 'ignore' });
  const started = Date.now();
  while (!(existsSync(devicePort) && existsSync(simulatorPort))) {
    if (socat.exitCode !== null || Date.now() - started > 5000) throw new Error('socat did not create the pty pair (is socat installed?)');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    devicePort,
    simulatorPort,
    unplug: () =>
      new Promise<void>((resolve) => {
        if (socat.exitCode !== null) return resolve();
        socat.once('exit', () => resolve());
        socat.kill('SIGTERM');
      }),
  };
}
