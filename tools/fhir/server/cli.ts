import { parseArgs } from 'node:util';
import { loadFhirValidators } from '../validators';
import { startFhirServer, type FhirServerAuth } from './fhir-server';

/**
 * The loopback FHIR server as its own process, for tests that kill it
 * mid-push and start it again (test-support.ts):
 * `node <bundle> [--port N] [--journal FILE] [--basic USER:PASSWORD | --bearer TOKEN]`.
 * Prints its base URL on a line of its own once it listens.
 */
const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, journal: { type: 'string' }, basic: { type: 'string' }, bearer: { type: 'string' } } });

function auth(): FhirServerAuth {
  if (values.bearer) return { kind: 'bearer', token: values.bearer };
  if (values.basic) {
    const colon = values.basic.indexOf(':');
    return { kind: 'basic', username: values.basic.slice(0, colon), password: values.basic.slice(colon + 1) };
  }
  return { kind: 'none' };
}

// Ready when it says so: the definitions (a few seconds) are loaded before the first request, not during it.
loadFhirValidators();
const server = await startFhirServer({ port: Number(values.port), auth: auth(), ...(values.journal ? { journal: values.journal } : {}) });
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
