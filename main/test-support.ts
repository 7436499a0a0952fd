import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drivers } from '../device-bridge/drivers/registry';
import { createScriptedHidFactory } from '../device-bridge/transports/scripted-hid';
import type { SerialTransportFactory } from '../device-bridge/transports/serial-transport';
import { silentLogger } from '../app/log/logger';
import type { WorkstationOptions } from './compose';

/** A machine with no serial ports. */
export const noSerialPorts: SerialTransportFactory = { list: () => Promise.resolve([]), open: () => Promise.reject(new Error('no such port')) };

/** A fresh data folder and workstation options for tests under plain Node. */
export async function testWorkstationOptions(): Promise<WorkstationOptions> {
  return {
    dataDir: await mkdtemp(join(tmpdir(), 'clinic-test-')),
    log: silentLogger,
    devices: { serial: noSerialPorts, hid: createScriptedHidFactory([]), drivers, pollMs: 50 },
    system: {
      appName: 'Clinic Workstation',
      appVersion: '0.0.0-test',
      versions: { node: process.versions.node },
      platform: process.platform,
      arch: process.arch,
    },
  };
}

/** A minimal built renderer so the host can start without `npm run build`. */
export async function fakeRendererDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clinic-renderer-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Clinic Workstation</title>');
  return dir;
}
