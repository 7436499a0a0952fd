import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PouchDocument } from 'pouchdb-node';
import type { z } from 'zod';
import { generateHubPart } from '../../app/enrollment/enrollment-code';
import type { ReplicatedCollection } from '../../app/replication/replicated-collections';
import type { Authenticator } from './auth';
import { corsResponseHeaders, decideOrigin, preflightHeaders } from './cors';
import type { RefusedDocument, ScreenedBulkDocs } from './bulk-docs';
import { refusalOf, type DocumentShapes } from './document-rules';
import type { Engine } from './engine';
import type { Logger } from '../../app/log/logger';
import { hasObjectWiderThan } from './json-width';
import { clinicDatabases, databaseOwner, type ClinicId, type WorkstationId } from '../protocol/naming';
import { enrollRequestSchema, issueCodeRequestSchema, maxDocs, touchesReservedFields, type EnrollResponse, type issueCodeResponseSchema } from '../protocol/requests';
import type { FailureLimiter } from './rate-limit';
import { addEnrollmentCode, enroll, lookUpCode, RegistryError } from './registry';
import type { RegistryStore } from './registry-store';
import { collectionRefusal, parseRoute, type BodyRule, type Route } from '../protocol/routes';
import { codeDigest, hashSecret, newSecret, newWorkstationId } from './secrets';
import { odhSubmissionSchema, odhWithdrawalSchema, type OdhIntake } from './odh/odh-intake';
import type { FacilityApi } from './directory/facility-api';

/**
 * The hub's front: every request passes here, in this order, and the CouchDB
 * engine sees only what survives all of it:
 *
 *   1. CORS: preflights answered here; a browser request from an origin not
 *      configured is refused.
 *   2. The allow-list (sync/protocol/routes.ts) classifies the request from its method and
 *      raw path; nothing is read yet.
 *   3. `GET /` (health) and `POST /_clinic/enroll` are the only routes open
 *      without credentials; everything else needs a workstation's Basic
 *      credentials (auth.ts) and gets 401 without them, before anything else,
 *      with failures counted per address (429 past the limit).
 *   4. Refused routes get 403, and so does a database of another clinic
 *      (whether it exists or not, so names cannot be probed), and a write to
 *      a collection workstations do not write, or a read of one they only
 *      push (sync/protocol/routes.ts `collectionRefusal`, from the collection's declaration).
 *   5. The body is read within the size limit (413), must be JSON (415), and
 *      must match the route's schema (400; 403 for design documents,
 *      attachments and reserved ids). A document it would store must be in
 *      the sealed shape (document-rules.ts): a PUT otherwise gets 403, and
 *      in a `_bulk_docs` each such document gets its own refusal.
 *   6. Only then the engine.
 *
 * Every refusal is CouchDB-style JSON `{ error, reason }` in plain words, built
 * from fixed text and schema paths, never from what the request contained.
 */
export interface FrontOptions {
  registry: RegistryStore;
  engine: Engine;
  authenticator: Authenticator;
  log: Logger;
  allowedOrigins: ReadonlySet<string>;
  maxBodyBytes: number;
  authLimiter: FailureLimiter;
  /**
   * Failed sign-ins per workstation id named (known or not, so it tells
   * nothing of which exist): guessing spread over many addresses is slowed
   * too. Consulted only after a secret failed, so it never refuses the right
   * one, and nobody who knows an id can stop that clinic's sync with it.
   */
  idLimiter: FailureLimiter;
  enrollLimiter: FailureLimiter;
  /** The replicated collections this hub serves (app/replication/replicated-collections.ts), and the shapes of those workstations write. */
  collections: readonly ReplicatedCollection[];
  documentShapes: DocumentShapes;
  /** The Open Data Hub's intake: its own store (never a clinic's databases) and its readers. */
  odh: OdhIntake;
  /** The facility directory's search for other systems, and their API tokens. */
  facilities: FacilityApi;
  /** The region's road graph, for workstations to route offline. */
  region: { serveGraph(req: IncomingMessage, res: ServerResponse): Promise<void> };
  now?: () => Date;
}

/** The `_clinic` endpoints carry a few hundred bytes; no reason to read megabytes for them. */
const smallBodyBytes = 16 * 1024;

interface Refusal {
  status: number;
  error: string;
  reason: string;
  headers?: Record<string, string>;
}

class RequestRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = 'RequestRefused';
  }
}

const unauthorized: Refusal = {
  status: 401,
  error: 'unauthorized',
  reason: 'Sign in with this workstation’s hub credentials (HTTP Basic: the workstation id and its secret).',
};
const revoked: Refusal = {
  status: 403,
  error: 'revoked',
  reason: 'This workstation’s access to the hub was revoked. Enroll it again with a new code from an administrator.',
};
const otherClinic: Refusal = { status: 403, error: 'forbidden', reason: 'Only your clinic’s databases can be reached through this hub.' };
const wrongCode: Refusal = {
  status: 403,
  error: 'forbidden',
  reason: 'This enrollment code is not valid: it may be mistyped. Check it with the person who gave it to you, or ask for a new one.',
};
const usedCode: Refusal = { status: 410, error: 'gone', reason: 'This enrollment code was already used. Ask an administrator for a new one.' };
const revokedCode: Refusal = {
  status: 410,
  error: 'gone',
  reason: 'This enrollment code was withdrawn: the workstation that made it no longer has access to the hub. Ask an administrator for a new one.',
};
const expiredCode: Refusal = { status: 410, error: 'gone', reason: 'This enrollment code has expired. Ask an administrator for a new one.' };
const tooMany = (retryAfterMs: number, what: string): Refusal => ({
  status: 429,
  error: 'too_many_requests',
  reason: `Too many ${what}. Wait ${Math.ceil(retryAfterMs / 60_000)} minute(s) and try again.`,
  headers: { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) },
});

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

const requestHasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * A refused request may still be sending its body. Closing on it then would
 * make the kernel answer the unread bytes with a reset, and a reset can erase
 * our answer from the client's buffers before it is read (RFC 9112 §9.6): a
 * workstation would see "connection lost" instead of the reason. So the whole
 * answer goes out at once (the client can stop sending), but the response is
 * ended, and so the connection possibly closed, only once the rest of the body
 * has been read and dropped. A body past any honest size, or one that stalls,
 * is cut off.
 */
function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal, maxDiscardBytes: number): void {
  const body = { error: refusal.error, reason: refusal.reason };
  const bodyPending = requestHasBody(req) && !req.readableEnded;
  if (!bodyPending) return sendJson(res, refusal.status, body, refusal.headers);
  if (Number(req.headers['content-length'] ?? '0') > maxDiscardBytes) {
    res.setHeader('Connection', 'close');
    return sendJson(res, refusal.status, body, refusal.headers);
  }
  const text = JSON.stringify(body);
  res.statusCode = refusal.status;
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.write(text);

  let dropped = 0;
  const stalled = setTimeout(() => req.socket.destroy(), refusedBodyLingerMs);
  const done = () => {
    clearTimeout(stalled);
    if (!res.writableEnded) res.end();
  };
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxDiscardBytes) req.socket.destroy();
  });
  req.once('end', done);
  req.once('close', done);
  req.resume();
}

/** How long the rest of a refused body may take to arrive. */
const refusedBodyLingerMs = 10_000;

/** An issue's path with only array indexes and field-like names kept: record keys are submitted values. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((part) => (typeof part === 'number' || (typeof part === 'string' && /^[a-z_]{1,32}$/i.test(part)) ? String(part) : '…')).join('.');
  // zod names unrecognized keys in its message; they are submitted text too.
  const message = issue.code === 'unrecognized_keys' ? 'a field this request does not take' : issue.message;
  return path ? `${path}: ${message}` : message;
}

function parseJson(text: string): unknown {
  // `__proto__` keys are legal JSON but only ever an attempt at prototype pollution further down (extend, qs).
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw new SyntaxError('reserved key');
    return value;
  });
}

async function readBody(req: IncomingMessage, rule: BodyRule, limit: number): Promise<unknown> {
  if (rule.kind === 'none') {
    if (requestHasBody(req)) throw new RequestRefused({ status: 400, error: 'bad_request', reason: 'This request takes no body.' });
    return {};
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    throw new RequestRefused({ status: 415, error: 'bad_content_type', reason: 'Request bodies must not be compressed.' });
  }
  const tooLarge: Refusal = {
    status: 413,
    error: 'too_large',
    reason: `The request body is larger than this hub accepts (${Math.floor(limit / 1024)} KiB); send fewer documents per request.`,
  };
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new RequestRefused(tooLarge);

  const chunks: Buffer[] = [];
  let size = 0;
  // Listeners rather than `for await`: leaving an async iterator early destroys
  // the socket, and then the 413 could not be sent.
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new RequestRefused(tooLarge));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  if (rule.kind === 'empty') {
    if (text.trim() === '' || text.trim() === '{}') return {};
    throw new RequestRefused({ status: 400, error: 'bad_request', reason: 'Creating a database takes no body.' });
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new RequestRefused({ status: 415, error: 'bad_content_type', reason: 'Request bodies must be JSON (Content-Type: application/json).' });
  }
  if (hasObjectWiderThan(text, maxDocs)) {
    throw new RequestRefused({ status: 400, error: 'bad_request', reason: `An object in the request body has more than ${maxDocs} fields; no request this hub takes needs that many.` });
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    throw new RequestRefused({ status: 400, error: 'bad_request', reason: 'The request body is not valid JSON.' });
  }
  const parsed = rule.schema.safeParse(value);
  if (!parsed.success) {
    if (touchesReservedFields(parsed.error.issues)) {
      throw new RequestRefused({
        status: 403,
        error: 'forbidden',
        reason: 'Design documents, attachments and ids starting with "_" cannot be written through this hub.',
      });
    }
    throw new RequestRefused({
      status: 400,
      error: 'bad_request',
      reason: `The request body does not match what this request takes: ${parsed.error.issues.slice(0, 3).map(describeIssue).join('; ')}.`.slice(0, 500),
    });
  }
  return parsed.data;
}

/** The documents of a `_bulk_docs` that may not be stored, each with its reason; the engine stores the rest. */
function screenDocuments(collection: ReplicatedCollection, clinicId: ClinicId, docs: readonly PouchDocument[], shapes: DocumentShapes): RefusedDocument[] {
  const refused: RefusedDocument[] = [];
  docs.forEach((doc, index) => {
    const reason = refusalOf(collection, clinicId, doc, shapes);
    if (reason !== undefined) refused.push({ index, id: doc._id, reason });
  });
  return refused;
}

export function createFront(options: FrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { registry, engine, authenticator, log, allowedOrigins, maxBodyBytes, authLimiter, idLimiter, enrollLimiter, collections, documentShapes, odh, facilities, region } = options;
  const now = options.now ?? (() => new Date());
  // Twice the body limit: a client still sending past that is not one whose answer matters.
  const refuse = (req: IncomingMessage, res: ServerResponse, refusal: Refusal): void => sendRefusal(req, res, refusal, 2 * maxBodyBytes);

  async function handleEnroll(req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
    const retryAfter = enrollLimiter.retryAfterMs(address);
    if (retryAfter > 0) return refuse(req, res, tooMany(retryAfter, 'wrong enrollment codes from this address'));
    const body = (await readBody(req, { kind: 'json', schema: enrollRequestSchema }, smallBodyBytes)) as z.output<typeof enrollRequestSchema>;
    const digest = codeDigest(body.codeProof);
    const refusalFor = (status: 'unknown' | 'used' | 'revoked' | 'expired'): Refusal => {
      enrollLimiter.recordFailure(address);
      log.warn('enroll.refused', { why: status });
      return { used: usedCode, revoked: revokedCode, expired: expiredCode, unknown: wrongCode }[status];
    };
    const lookup = lookUpCode(await registry.read(), digest, now());
    if (lookup.status !== 'valid') return refuse(req, res, refusalFor(lookup.status));

    const clinicId = lookup.code.clinicId;
    const databases = clinicDatabases(clinicId, collections);
    const workstationId = newWorkstationId();
    const secret = newSecret();
    const secretHash = await hashSecret(secret);
    // Databases first: a code is consumed only once everything it promises exists.
    await engine.ensureDatabases(Object.values(databases));
    // Looked up again under the registry lock: of two simultaneous uses, one wins.
    const result = await registry.update((draft) => enroll(draft, { digest, workstationId, workstationName: body.workstationName, secretHash }, now()));
    if (result.status !== 'valid') return refuse(req, res, refusalFor(result.status));
    log.info('enroll.ok', { workstationId, clinicId });
    const answer: EnrollResponse = { workstationId, secret, clinicId, databases, ...(result.code.wrappedKey !== null ? { wrappedKey: result.code.wrappedKey } : {}) };
    sendJson(res, 201, answer);
  }

  async function handleIssueCode(req: IncomingMessage, res: ServerResponse, caller: { workstationId: WorkstationId; clinicId: ClinicId }): Promise<void> {
    const body = (await readBody(req, { kind: 'json', schema: issueCodeRequestSchema }, smallBodyBytes)) as z.output<typeof issueCodeRequestSchema>;
    const at = now();
    const expiresAt = new Date(at.getTime() + body.expiresInHours * 3600_000);
    // The hub's own random part of the code: no workstation can deposit a code it chose (enrollment-code.ts).
    const hubPart = generateHubPart();
    const digest = codeDigest({ commitment: body.codeCommitment, hubPart });
    try {
      await registry.update((draft) => addEnrollmentCode(draft, { clinicId: caller.clinicId, digest, wrappedKey: body.wrappedKey, issuedBy: caller.workstationId, expiresAt }, at));
    } catch (error) {
      if (error instanceof RegistryError && (error.code === 'duplicate_code' || error.code === 'too_many_codes')) {
        return refuse(req, res, { status: 409, error: 'conflict', reason: error.message });
      }
      // Revoked between sign-in and the write (the registry lock orders the two).
      if (error instanceof RegistryError && error.code === 'issuer_revoked') return refuse(req, res, revoked);
      throw error;
    }
    log.info('enrollment_code.issued', { clinicId: caller.clinicId, by: caller.workstationId, hours: body.expiresInHours });
    sendJson(res, 201, { ok: true, expiresAt: expiresAt.toISOString(), hubPart } satisfies z.input<typeof issueCodeResponseSchema>);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, note: (fields: Record<string, string | boolean>) => void): Promise<void> {
    const method = req.method ?? '';
    const address = req.socket.remoteAddress ?? 'unknown';
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Origin');

    // 1. CORS
    const origin = decideOrigin(req.headers.origin, allowedOrigins);
    if (method === 'OPTIONS') {
      note({ kind: 'preflight' });
      const requestedMethod = req.headers['access-control-request-method'];
      if (origin.kind !== 'allowed' || requestedMethod === undefined) {
        return refuse(req, res, { status: 403, error: 'forbidden', reason: 'This web origin may not call the hub.' });
      }
      const headers = preflightHeaders(origin.origin, requestedMethod, req.headers['access-control-request-headers']);
      if (!headers) return refuse(req, res, { status: 403, error: 'forbidden', reason: 'That method or header is not allowed from a web page.' });
      res.statusCode = 204;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.end();
      return;
    }
    if (origin.kind === 'refused') {
      note({ kind: 'origin-refused' });
      return refuse(req, res, { status: 403, error: 'forbidden', reason: 'This web origin may not call the hub.' });
    }
    if (origin.kind === 'allowed') for (const [name, value] of Object.entries(corsResponseHeaders(origin.origin))) res.setHeader(name, value);

    // 2. What is this request? (Nothing read yet.)
    const route: Route = parseRoute(method, req.url ?? '', collections);
    note({ kind: route.kind === 'engine' ? route.operation : route.kind });

    // 3. The open routes, then credentials for everything else.
    if (route.kind === 'health') {
      const { hubId } = await registry.read();
      return sendJson(res, 200, { couchdb: 'Welcome', vendor: { name: 'Clinic Workstation hub' }, uuid: hubId });
    }
    if (route.kind === 'enroll') return handleEnroll(req, res, address);
    /** A caller with a bearer token of one kind (not a workstation): its holder, or undefined once refused (slowed like any failed sign-in). */
    async function bearer(authenticate: (authorization: string | undefined) => Promise<string | undefined>, what: string): Promise<string | undefined> {
      const waitMs = authLimiter.retryAfterMs(address);
      if (waitMs > 0) return void refuse(req, res, tooMany(waitMs, 'failed sign-ins from this address'));
      await readBody(req, { kind: 'none' }, smallBodyBytes);
      const holder = await authenticate(req.headers.authorization);
      if (holder === undefined) {
        authLimiter.recordFailure(address);
        return void refuse(req, res, { status: 401, error: 'unauthorized', reason: `Sign in with ${what} (Authorization: Bearer …) from the hub’s operator.` });
      }
      return holder;
    }
    // A researcher's read: a reader token, not a workstation's credentials (odh-intake.ts).
    if (route.kind === 'odh-read') {
      const reader = await bearer((authorization) => odh.authenticateReader(authorization), 'an Open Data Hub reader token');
      if (reader === undefined) return;
      note({ reader });
      return odh.read(route, res);
    }
    // Another system's directory search: an API token (directory/facility-api.ts).
    if (route.kind === 'facility-search') {
      const client = await bearer((authorization) => facilities.authenticate(authorization), 'an API token');
      if (client === undefined) return;
      note({ client });
      // Behind the TLS-terminating proxy (sync/README.md) the caller's own view of the address; it only shapes the caller's own answer.
      const base = `${req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}/api/v1`;
      return facilities.search({ near: route.near, capability: route.capability, limit: route.limit }, res, base);
    }

    const retryAfter = authLimiter.retryAfterMs(address);
    if (retryAfter > 0) return refuse(req, res, tooMany(retryAfter, 'failed sign-ins from this address'));
    const auth = await authenticator.authenticate(req.headers.authorization);
    if (auth.kind === 'missing' || auth.kind === 'invalid') {
      if (auth.kind === 'invalid') {
        authLimiter.recordFailure(address);
        log.warn('auth.failed', {});
        if (auth.claimed !== undefined) {
          const idRetryAfter = idLimiter.retryAfterMs(auth.claimed);
          idLimiter.recordFailure(auth.claimed);
          if (idRetryAfter > 0) return refuse(req, res, tooMany(idRetryAfter, 'failed sign-ins for this workstation id'));
        }
      }
      return refuse(req, res, unauthorized);
    }
    if (auth.kind === 'revoked') {
      note({ workstation: auth.workstationId });
      return refuse(req, res, revoked);
    }
    note({ workstation: auth.workstationId });

    // 4. Authorization.
    if (route.kind === 'refused') return refuse(req, res, { status: 403, error: 'forbidden', reason: route.reason });
    if (route.kind === 'malformed') return refuse(req, res, { status: 400, error: 'bad_request', reason: route.reason });
    const databases = clinicDatabases(auth.clinicId, collections);
    if (route.kind === 'session') {
      return sendJson(res, 200, {
        ok: true,
        userCtx: { name: auth.workstationId, roles: [] },
        info: { authentication_handlers: ['basic'], authenticated: 'basic' },
        clinic: { clinicId: auth.clinicId, databases },
      });
    }
    if (route.kind === 'issue-code') return handleIssueCode(req, res, auth);
    if (route.kind === 'region-graph') {
      await readBody(req, { kind: 'none' }, smallBodyBytes);
      return region.serveGraph(req, res);
    }
    if (route.kind === 'odh-submit' || route.kind === 'odh-withdraw') {
      const body = await readBody(req, { kind: 'json', schema: route.kind === 'odh-submit' ? odhSubmissionSchema : odhWithdrawalSchema }, maxBodyBytes);
      const answer = route.kind === 'odh-submit' ? await odh.submit(auth.clinicId, body as Record<string, unknown>) : await odh.withdraw(auth.clinicId, body as { patient: string });
      if (answer.status >= 400) return refuse(req, res, { status: answer.status, error: answer.error ?? 'refused', reason: answer.reason ?? 'refused' });
      log.info(route.kind === 'odh-submit' ? 'odh.submitted' : 'odh.withdrawn', { clinicId: auth.clinicId, by: auth.workstationId });
      return sendJson(res, answer.status, answer.body);
    }
    if (!Object.values<string>(databases).includes(route.database)) return refuse(req, res, otherClinic);
    const { collection } = databaseOwner(route.database, collections)!; // one of the caller's clinic's databases, checked above
    const notForWorkstations = collectionRefusal(collection, route.operation, method);
    if (notForWorkstations !== undefined) return refuse(req, res, { status: 403, error: 'forbidden', reason: notForWorkstations });

    // 5. The body, and what it would store, then 6. the engine.
    const body = await readBody(req, route.body, maxBodyBytes);
    let refused: RefusedDocument[] | undefined;
    if (route.operation === 'bulk-docs') {
      refused = screenDocuments(collection, auth.clinicId, (body as ScreenedBulkDocs).docs, documentShapes);
      if (refused.length > 0) note({ refusedDocs: String(refused.length) });
    } else if (route.operation === 'document' && method === 'PUT') {
      const reason = refusalOf(collection, auth.clinicId, { ...(body as object), _id: route.documentId }, documentShapes);
      if (reason !== undefined) return refuse(req, res, { status: 403, error: 'forbidden', reason });
    }
    note({ engine: true });
    engine.handle(req, res, body, { operation: route.operation, database: route.database, ...(refused ? { refused } : {}) });
  }

  return (req, res) => {
    const started = performance.now();
    const fields: Record<string, string | boolean> = { method: req.method ?? '', kind: 'unknown', engine: false };
    res.once('close', () => log.info('http.request', { ...fields, status: res.statusCode, ms: Math.round(performance.now() - started) }));
    handle(req, res, (more) => Object.assign(fields, more)).catch((error: unknown) => {
      if (error instanceof RequestRefused) {
        if (!res.headersSent) refuse(req, res, error.refusal);
        return;
      }
      log.error('front.error', { name: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent) refuse(req, res, { status: 500, error: 'internal', reason: 'The hub could not complete this request.' });
      else res.destroy();
    });
  };
}
