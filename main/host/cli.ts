import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { driverIds } from '../../app/devices/driver-ids';
import type { FixedSerialPort } from '../../device-bridge/device-manager';
import { drivers } from '../../device-bridge/drivers/registry';
import type { HidTransportFactory } from '../../device-bridge/transports/hid-transport';
import { nodeHidFactory } from '../../device-bridge/transports/node-hid-factory';
import { serialportFactory } from '../../device-bridge/transports/serialport-factory';
import { appIdentity } from '../app-identity';
import { createLogger } from '../../app/log/logger';
import { startBrowserHost } from './browser-host';

// `npm run serve -- --port <n> [--data <dir>]`: the embedded default that runs
// anywhere. Prints the one address to open; everything else goes to stderr.
// Its entries: serve.ts (shipped) and serve-simulated.ts (development and the
// end-to-end tests: adds `--simulate`, so simulators stay out of the shipped bundle).

/** Simulated HID devices, handed in by the development entry. */
export interface HidSimulation {
  drivers: readonly string[];
  /** The real HID factory plus the simulated devices named. */
  wrap(real: HidTransportFactory, drivers: readonly string[]): HidTransportFactory;
}

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'clinic-workstation');
}

/** `--serial /dev/pts/7=cms50d`: a port to offer although it is no USB device (a simulator's pty). */
function parseFixedPort(text: string): FixedSerialPort {
  const [path, driver] = text.split('=');
  const id = driverIds.find((known) => known === driver);
  if (!path || !id || drivers[id].transport !== 'serial') throw new Error(`"${text}" is not <serial port path>=<serial driver id>.`);
  return { path, label: `${drivers[id].identity.manufacturer} ${drivers[id].identity.model} (${path})`, drivers: [id] };
}

export async function runHostCli(simulation?: HidSimulation): Promise<void> {
  const usage = `Usage: npm run ${simulation ? 'serve:simulated' : 'serve'} -- --port <number> [--data <folder>] [--serial <port path>=<driver>]...${
    simulation ? ` [--simulate <${simulation.drivers.join('|')}>]...` : ''
  }`;
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string', default: '8080' }, data: { type: 'string' }, serial: { type: 'string', multiple: true, default: [] },
        simulate: { type: 'string', multiple: true, default: [] },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`"${values.port}" is not a port number.\n${usage}\n`);
    process.exit(2);
  }
  let fixedSerialPorts;
  const simulate = values.simulate;
  try {
    if (simulate.length && !simulation) throw new Error('This host has no simulated devices: start it with npm run serve:simulated for --simulate.');
    if (simulation && simulate.some((driver) => !simulation.drivers.includes(driver))) {
      throw new Error(`Only these HID devices can be simulated: ${simulation.drivers.join(', ')}.`);
    }
    fixedSerialPorts = values.serial.map(parseFixedPort);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const log = createLogger((line) => process.stderr.write(line));
  const host = await startBrowserHost({
    port,
    dataDir: resolve(values.data ?? defaultDataDir()),
    rendererDir: join(here, '..', 'renderer'),
    log,
    devices: { serial: serialportFactory, hid: simulation && simulate.length ? simulation.wrap(nodeHidFactory, simulate) : nodeHidFactory, drivers, fixedSerialPorts },
    system: { ...appIdentity, versions: process.versions, platform: process.platform, arch: process.arch },
  }).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'EADDRINUSE' ? `Port ${port} is already in use; choose another with --port.` : error.message;
    process.stderr.write(`The workstation could not start: ${why}\n`);
    process.exit(1);
  });
  process.stdout.write(`Clinic Workstation is running. Open this address in Chromium:\n${host.url}\n`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
