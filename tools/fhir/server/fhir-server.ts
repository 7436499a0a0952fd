import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, unauthorized } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { fhirErrors } from '../validators';
import type { JWK } from 'jose';
import { createSmartTokenEndpoint, type SmartTokenEndpoint } from './smart-token-endpoint';
import { invalid, ValidatingRepository } from './validating-repository';

/**
 * A real FHIR R4 server for tests, on loopback: Medplum's FHIR router (the
 * request handling of Medplum's own server: read, search, PUT, POST,
 * batches, transactions of up to 50 updates) over a ValidatingRepository,
 * behind node:http, with the authentication a clinic's FHIR server may ask
 * for. A transaction is checked whole before any of it is stored (the
 * in-memory repository cannot roll back): a bad entry refuses all of it,
 * with the entry's path. Never shipped; the layer check keeps it in tools/.
 */

export type FhirServerAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string }
  /** SMART Backend Services: tokens from `auth/token` for a JWT assertion signed by a key in `jwks` for `clientId` (smart-token-endpoint.ts). */
  | { kind: 'smart'; clientId: string; jwks: { keys: JWK[] } };

export interface FhirServerOptions {
  port?: number;
  auth?: FhirServerAuth;
  /** Stores survive a restart on the same journal (validating-repository.ts). */
  journal?: string;
}

export interface RunningFhirServer {
  /** The base URL, ending in `/fhir/R4/`. */
  url: string;
  repository: ValidatingRepository;
  /** SMART: the token requests it answered, and a way to withdraw every token it gave (as a server's admin may). */
  smart: SmartTokenEndpoint | undefined;
  close(): Promise<void>;
}

const basePath = '/fhir/R4/';
/** What the server says of itself at `metadata` (Medplum's router has no such route; a client checks it first). */
const capabilities: CapabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-12-06',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  software: { name: 'Loopback FHIR test server (Medplum FHIR router)' },
  rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }] }],
};
const methods = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Larger than any chunk a client sends (a transaction of 50 entries is well under a megabyte). */
const maxBodyBytes = 16 * 1024 * 1024;

export async function startFhirServer(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
  const repository = new ValidatingRepository(options.journal);
  await repository.replay();
  const router = new FhirRouter();
  const server = createServer((req, res) => {
    answer(req, res).catch(() => reply(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', details: { text: 'The server failed.' } }] }));
  });
  const auth = options.auth ?? { kind: 'none' };
  let smart: SmartTokenEndpoint | undefined;
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (smart && (await smart.answer(req, res, url.pathname))) return;
    if (!authorised(req, auth, smart)) return reply(res, 401, unauthorized);
    const method = req.method as HttpMethod;
    if (!url.pathname.startsWith(basePath) || !methods.has(method)) return reply(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text: 'Not a FHIR endpoint.' } }] });
    if (method === 'GET' && url.pathname === `${basePath}metadata`) return reply(res, 200, capabilities);
    const text = await body(req);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      return reply(res, 400, invalid([{ path: '', message: 'The body is not JSON.' }]));
    }
    const refused = wholeTransactionProblems(parsed);
    if (refused) return reply(res, 400, refused);
    const request: FhirRequest = { method, url: url.pathname.slice(basePath.length) + url.search, pathname: '', params: {}, query: {}, body: parsed, headers: req.headers, config: { transactions: true } };
    const [outcome, resource] = await router.handleRequest(request, repository);
    return reply(res, getStatus(outcome), resource ?? outcome);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${basePath}`;
  if (auth.kind === 'smart') smart = createSmartTokenEndpoint({ base: url, basePath, clientId: auth.clientId, jwks: auth.jwks });
  return { url, repository, smart, close: () => closeServer(server) };
}

function authorised(req: IncomingMessage, auth: FhirServerAuth, smart: SmartTokenEndpoint | undefined): boolean {
  const header = req.headers.authorization ?? '';
  switch (auth.kind) {
    case 'smart':
      return smart?.valid(header) ?? false;
    case 'none':
      return true;
    case 'basic':
      return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    case 'bearer':
      return header === `Bearer ${auth.token}`;
  }
}

/** A transaction's entries that fail validation, as one refusal naming each entry's path; undefined for anything else. */
function wholeTransactionProblems(body: unknown): OperationOutcome | undefined {
  const bundle = body as Bundle | undefined;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') return undefined;
  const problems = (bundle.entry ?? []).flatMap((entry, index) => (entry.resource ? fhirErrors(entry.resource).map((problem) => ({ path: inEntry(index, problem.path), message: problem.message })) : []));
  return problems.length ? invalid(problems) : undefined;
}

/** `Observation.status` in entry 3 is `Bundle.entry[3].resource.status`. */
function inEntry(index: number, path: string): string {
  const dot = path.indexOf('.');
  return `Bundle.entry[${index}].resource${dot === -1 ? '' : path.slice(dot)}`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error('request too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, resource: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json' }).end(JSON.stringify(resource));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
