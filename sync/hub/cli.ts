import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminError, createClinicCommand, issueCodeCommand, listCommand, revokeCommand } from './admin';
import { parseAllowedOrigin } from './cors';
import { startHub } from './hub';
import { createLogger } from '../../app/log/logger';
import { createOdhReader } from './odh/odh-readers';
import { RegistryError } from './registry';
import { openRegistryStore } from './registry-store';

// `npm run hub -- --port <n> --data <dir>` starts the hub and prints its
// address (alone on stdout, so scripts can read it); logs go to stderr.
// `npm run hub -- admin <command> --data <dir> …` manages the registry.
const usage = `Usage:
  npm run hub -- --port <number> --data <folder> [--allow-origin <scheme://host[:port]>]... [--max-auth-failures <n>]
  npm run hub -- admin create-clinic --data <folder> --name <clinic name> [--id clinic-<32 hex>]
  npm run hub -- admin issue-code --data <folder> --clinic <clinic id> [--expires-hours 24] [--force]
  npm run hub -- admin revoke --data <folder> --workstation <workstation id>
  npm run hub -- admin list --data <folder> [--clinic <clinic id>]
  npm run hub -- admin odh-reader --data <folder> --name <who reads>`;

function fail(message: string, exitCode = 2): never {
  process.stderr.write(`${message}\n${exitCode === 2 ? `${usage}\n` : ''}`);
  process.exit(exitCode);
}

async function runAdmin(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        name: { type: 'string' },
        id: { type: 'string' },
        clinic: { type: 'string' },
        workstation: { type: 'string' },
        'expires-hours': { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.data) fail('Give the hub’s data folder with --data.');
  const store = await openRegistryStore(resolve(values.data));
  switch (command) {
    case 'create-clinic':
      process.stdout.write(`${await createClinicCommand(store, { name: values.name, id: values.id })}\n`);
      return;
    case 'issue-code': {
      const { code, expiresAt } = await issueCodeCommand(store, { clinic: values.clinic, hours: values['expires-hours'], force: values.force });
      process.stdout.write(`${code}\n`);
      process.stderr.write(`One-time enrollment code for ${values.clinic}, valid until ${expiresAt.toISOString()}. It is shown only now; the hub keeps only a digest.\n`);
      return;
    }
    case 'revoke':
      process.stdout.write(`${(await revokeCommand(store, { workstation: values.workstation })).join('\n')}\n`);
      return;
    case 'odh-reader':
      process.stdout.write(`${await createOdhReader(resolve(values.data), values.name ?? '')}\n`);
      process.stderr.write('Open Data Hub reader token, shown only now (send it as Authorization: Bearer <token>); the hub keeps only a hash.\n');
      return;
    case 'list':
      process.stdout.write(`${(await listCommand(store, { clinic: values.clinic })).join('\n')}\n`);
      return;
    default:
      fail(`"${command ?? ''}" is not an admin command.`);
  }
}

async function runHub(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '5984' },
        data: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true, default: [] },
        'max-auth-failures': { type: 'string', default: '10' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`"${values.port}" is not a port number.`);
  if (!values.data) fail('Give the hub’s data folder with --data.');
  const maxAuthFailures = Number(values['max-auth-failures']);
  if (!Number.isInteger(maxAuthFailures) || maxAuthFailures < 1) fail('--max-auth-failures must be a whole number of at least 1.');
  let allowedOrigins: string[];
  try {
    allowedOrigins = values['allow-origin'].map(parseAllowedOrigin);
  } catch (error) {
    fail((error as Error).message);
  }
  const hub = await startHub({ port, dataDir: resolve(values.data), allowedOrigins, maxAuthFailures, log: createLogger((line) => process.stderr.write(line)) }).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'EADDRINUSE' ? `Port ${port} is already in use; choose another with --port.` : error.message;
    fail(`The hub could not start: ${why}`, 1);
  });
  process.stdout.write(`${hub.url}\n`);
  const stop = () => void hub.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const [first, ...rest] = process.argv.slice(2);
const run = first === 'admin' ? runAdmin(rest) : runHub(process.argv.slice(2));
run.catch((error: unknown) => {
  if (error instanceof AdminError || error instanceof RegistryError) fail(error.message, 1);
  fail(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, 1);
});
