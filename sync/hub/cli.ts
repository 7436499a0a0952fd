import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminError, createClinicCommand, issueCodeCommand, listCommand, revokeCommand } from './admin';
import { parseAllowedOrigin } from './cors';
import { startHub } from './hub';
import { createLogger } from '../../app/log/logger';
import { createToken } from './bearer-tokens';
import { odhReaderTokens } from './odh/odh-readers';
import { directoryImportCommand, DirectoryCommandError, directoryRemoveCommand, directorySetCommand } from './directory/directory-commands';
import { DirectoryFileError } from './directory/directory-files';
import { apiClientTokens } from './directory/facility-api';
import { OsmExtractError } from './region/osm-extract';
import { importRegion } from './region/region-store';
import { speedsWith } from '../../app/routing/road-classes';
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
  npm run hub -- admin odh-reader --data <folder> --name <who reads>
  npm run hub -- admin api-client --data <folder> --name <which system>
  npm run hub -- admin directory-import --data <folder> --file <extract.osm.pbf | healthsites .csv/.geojson | FHIR Bundle .json>
  npm run hub -- admin directory-set --data <folder> --facility <fac-…> --capability <capability> --available yes|no --by <who confirmed>
  npm run hub -- admin directory-remove --data <folder> --facility <fac-…>   (withdraws it; importing its source again does not bring it back)
  npm run hub -- admin region-import --data <folder> --file <extract.osm.pbf> [--speed <class>=<km/h>]...`;

function fail(message: string, exitCode = 2): never {
  process.stderr.write(`${message}\n${exitCode === 2 ? `${usage}\n` : ''}`);
  process.exit(exitCode);
}

/** A directory or region command's outcome as one JSON line, or its error in plain words (exit 1). */
async function printDirectory(run: () => Promise<Record<string, unknown>>): Promise<void> {
  try {
    process.stdout.write(`${JSON.stringify(await run())}\n`);
  } catch (error) {
    if (error instanceof DirectoryCommandError || error instanceof DirectoryFileError || error instanceof OsmExtractError || error instanceof RangeError) fail(error.message, 1);
    throw error;
  }
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
        file: { type: 'string' },
        facility: { type: 'string' },
        capability: { type: 'string' },
        available: { type: 'string' },
        by: { type: 'string' },
        speed: { type: 'string', multiple: true },
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
      process.stdout.write(`${await createToken(resolve(values.data), odhReaderTokens, values.name ?? '')}\n`);
      process.stderr.write('Open Data Hub reader token, shown only now (send it as Authorization: Bearer <token>); the hub keeps only a hash.\n');
      return;
    case 'api-client':
      process.stdout.write(`${await createToken(resolve(values.data), apiClientTokens, values.name ?? '')}\n`);
      process.stderr.write('API token for the facility directory, shown only now (send it as Authorization: Bearer <token>); the hub keeps only a hash.\n');
      return;
    case 'directory-import':
      return printDirectory(() => directoryImportCommand(resolve(values.data!), values.file, new Date()));
    case 'directory-set':
      return printDirectory(() => directorySetCommand(resolve(values.data!), values, new Date()));
    case 'directory-remove':
      return printDirectory(() => directoryRemoveCommand(resolve(values.data!), values.facility));
    case 'region-import':
      return printDirectory(async () => {
        if (!values.file) throw new DirectoryCommandError('Give the OSM extract with --file <extract.osm.pbf>.');
        const overrides = Object.fromEntries((values.speed ?? []).map((given) => [given.split('=')[0] ?? '', Number(given.split('=')[1])]));
        const graph = await importRegion(resolve(values.data!), values.file, speedsWith(overrides));
        return { vertices: graph.counts.vertices, arcs: graph.counts.arcs, waysByClass: graph.counts.waysByClass, facilitiesInExtract: graph.facilities.length };
      });
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
