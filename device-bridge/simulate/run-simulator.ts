import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { cms50dLiveStream } from '../drivers/cms50d/simulator';
import { clockAt, heardCommands, ultra2Respond, type Ultra2Meter } from '../drivers/onetouch-ultra2/simulator';
import { simulatedHidDrivers, type SimulatedHidDriver } from './hid-scripts';
import { createPtyPair } from './pty-pair';

// `npm run simulate -- <device>`: a virtual device speaking its real protocol.
// Serial devices write to one end of a socat pty pair that the workstation
// opens as a normal serial port; HID devices are replayed inside the
// workstation, since a HID device cannot be faked from outside the process.

const serialDevices = ['cms50d', 'onetouch-ultra2'] as const;
const usage = `Usage: npm run simulate -- <${[...serialDevices, ...simulatedHidDrivers].join('|')}> [--spo2 N] [--pulse N] [--clock-offset MINUTES]`;
const framesPerSecond = 60;
const tick = 50; // ms: three frames at a time keeps the pace without a timer per frame

async function runOximeter(port: string, spo2: number, pulse: number): Promise<void> {
  const out = await open(port, 'w');
  let index = 0;
  const perTick = (framesPerSecond * tick) / 1000;
  setInterval(() => {
    void out.write(cms50dLiveStream({ spo2, pulse, samples: perTick, from: index }));
    index += perTick;
  }, tick);
}

/** The simulated meter's memory; its clock is read when asked. */
const ultra2Memory: Omit<Ultra2Meter, 'clock'> = {
  serial: 'SIM00042Y',
  unit: 'mg/dL',
  records: [
    { time: '2024-03-21T16:45:24', value: 81 },
    { time: '2024-03-21T08:12:02', value: 126, meal: 'B' },
  ],
};

/**
 * Answers each command the workstation sends (`DMP` the dump, `DMF` the
 * clock) as the meter would. Its clock is the workstation's moved by
 * `clockOffsetMinutes`, so a wrong meter clock can be shown.
 */
async function runUltra2(port: string, clockOffsetMinutes: number): Promise<void> {
  const handle = await open(port, 'r+');
  let heard = '';
  const stream = handle.createReadStream();
  stream.on('data', (chunk) => {
    const { commands, rest } = heardCommands(heard + Buffer.from(chunk).toString('latin1'));
    heard = rest;
    for (const command of commands) void handle.write(ultra2Respond({ ...ultra2Memory, clock: clockAt(new Date(), clockOffsetMinutes) }, command));
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { spo2: { type: 'string', default: '97' }, pulse: { type: 'string', default: '72' }, 'clock-offset': { type: 'string', default: '0' } },
    allowPositionals: true,
  });
  const device = positionals[0];
  if (simulatedHidDrivers.includes(device as SimulatedHidDriver)) {
    process.stdout.write(`HID devices are simulated inside the workstation. Start it with:\nnpm run serve:simulated -- --port 8080 --simulate ${device}\n`);
    return;
  }
  if (device !== 'cms50d' && device !== 'onetouch-ultra2') {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
    return;
  }
  const pair = await createPtyPair();
  process.stdout.write(`Simulated ${device} on ${pair.devicePort}. Start the workstation with:\nnpm run serve -- --port 8080 --serial ${pair.devicePort}=${device}\n`);
  const stop = () => void pair.unplug().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (device === 'cms50d') await runOximeter(pair.simulatorPort, Number(values.spo2), Number(values.pulse));
  else await runUltra2(pair.simulatorPort, Number(values['clock-offset']));
}

void main();
