import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { driverIds } from '../../app/devices/driver-ids';
import { drivers } from '../drivers/registry';
import { decodeCapture } from './decode-capture';

const usage = `Usage: npx clinic-device decode --driver <${driverIds.join('|')}> <capture-file>`;

/** `clinic-device decode`: one JSON object per line, a reading or an error with its reason. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'decode') {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { driver: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const id = driverIds.find((known) => known === parsed.values.driver);
  const path = parsed.positionals[0];
  if (!id || !path || parsed.positionals.length !== 1) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  let file: Uint8Array;
  try {
    file = new Uint8Array(await readFile(path));
  } catch {
    process.stderr.write(`Cannot read the capture file "${path}".\n`);
    return 1;
  }
  try {
    for (const line of decodeCapture(drivers[id], file)) process.stdout.write(`${JSON.stringify(line)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
