import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import type { ParamsOf } from '../../app/contract/api';
import { ApiError } from '../../app/contract/errors';
import type { EnrollmentProof } from '../../app/enrollment/enrollment-code';
import { clinicDatabases, clinicIdSchema, workstationIdSchema } from '../../sync/protocol/naming';
import { enrollResponseSchema, issueCodeResponseSchema, refusalBodySchema } from '../../sync/protocol/requests';
import type { Logger } from '../../app/log/logger';
import { writeFileAtomic } from '../services/atomic-file';
import { resolveHubRequestUrl } from './hub-request-url';

/**
 * This workstation's link to its clinic's hub: the credentials it received at
 * enrollment, and the one way any hub traffic leaves the workstation.
 *
 * Why the main process and not the page: the secret stays out of the web
 * page and its IndexedDB; the page's Content-Security-Policy stays closed to
 * every network origin (a hub URL chosen at run time could not be in it);
 * and the hub needs no browser CORS rule at all. The renderer's replication
 * sends each CouchDB request here (`hub.request`), and only requests to this
 * clinic's own databases leave, with the credentials added here.
 */

export const hubLinkSchema = z.strictObject({
  formatVersion: z.literal(1),
  hubUrl: z.url({ protocol: /^https?$/ }),
  /** The hub's own id (its `GET /` uuid): replication checkpoints are kept per hub, so a replaced hub is synced afresh. */
  hubId: z.string().min(1).max(100),
  workstationId: workstationIdSchema,
  secret: z.string().min(1).max(200),
  clinicId: clinicIdSchema,
  /**
   * Not read: the databases follow from the clinic id and the declared
   * collections (sync/protocol/naming.ts `clinicDatabases`), so a collection
   * added by an update is reached without a new link. Still written, for a
   * workstation put back to a version that reads it.
   */
  databases: z.record(z.string(), z.string()).optional(),
  linkedAt: z.iso.datetime(),
});
export type HubLink = z.infer<typeof hubLinkSchema>;

/** `/<database>/…` with its query string, as the replication client built it (the contract's `hub.request`). */
export type HubRequest = ParamsOf<'hub.request'>;

export interface HubLinkOptions {
  file: string;
  log: Logger;
  fetch?: typeof fetch;
  /** For tests: shorter waits than a real link needs. */
  timeouts?: Partial<LinkTimeouts>;
}

/**
 * How long a replication request may go without progress before the link is
 * taken as down. Silence, not total time: a rural link at a few kB/s takes
 * minutes over a batch of 1,000 documents, and a total limit would cut every
 * such request at the same point and retry it forever without getting
 * anywhere. So the wait runs until the hub answers (longer while a request
 * body is still going up at a slow link's pace), then again from each piece
 * of the answer that arrives.
 */
export interface LinkTimeouts {
  /** No answer, or no more of it, for this long. */
  silenceMs: number;
  /** A long-poll waits for the hub's own timeout (the sync client asks for 50 s) before it answers. */
  longPollMs: number;
  /** The slowest upload the wait for an answer allows for (bytes a second). */
  slowestUploadBytesPerSecond: number;
}

const defaultTimeouts: LinkTimeouts = { silenceMs: 30_000, longPollMs: 120_000, slowestUploadBytesPerSecond: 8_000 };
/** Enrollment and the identity check: small requests, answered at once by a working hub. */
const requestTimeoutMs = 30_000;

/** Aborts `controller` unless `progress` is called within `firstMs`, then within `ms` of each call. */
function silenceTimer(controller: AbortController, firstMs: number, ms: number) {
  let timer = setTimeout(() => controller.abort(), firstMs);
  return {
    progress() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), ms);
    },
    stop: () => clearTimeout(timer),
  };
}

/** The answer's text, read as it arrives, each piece counted as progress. */
async function readText(response: Response, progress: () => void): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    progress();
    text += decoder.decode(value, { stream: true });
  }
}

/** A hub URL as a person types it, made canonical: http(s), no credentials or query, ending in `/`. */
export function normalizeHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw unusable('That is not a web address. It looks like https://hub.example.org/ — ask whoever runs the hub.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw unusable('A hub address starts with https:// (or http://) and has no user name, query or # part.');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const unusable = (message: string) => new ApiError({ code: 'bad_request', message });
const unreachable = (hubUrl: string) =>
  new ApiError({ code: 'unavailable', message: `The hub at ${hubUrl} cannot be reached. Check the network link; your work stays safe on this workstation and syncs when the link is back.` });

const notAHub = (hubUrl: string) => new ApiError({ code: 'unavailable', message: `${hubUrl} answered, but not as a clinic hub does. Check the address.` });
/** `GET /` of a CouchDB-protocol server (our hub, or CouchDB itself). */
const hubWelcomeSchema = z.object({ couchdb: z.literal('Welcome'), uuid: z.string().min(1).max(100) });

export function createHubLink(options: HubLinkOptions) {
  const fetcher = options.fetch ?? fetch;
  const timeouts: LinkTimeouts = { ...defaultTimeouts, ...options.timeouts };
  let cached: HubLink | null | undefined;

  async function current(): Promise<HubLink | null> {
    if (cached !== undefined) return cached;
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (cached = null);
      throw error;
    }
    const parsed = hubLinkSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      // Never guessed at or rewritten: the credentials in it may be the only ones this workstation has.
      options.log.error('hub_link_unreadable', { file: options.file });
      throw new ApiError({ code: 'internal', message: 'The hub link file of this workstation is damaged; ask support to look at hub-link.json.' });
    }
    return (cached = parsed.data);
  }

  async function requireLink(): Promise<HubLink> {
    const link = await current();
    if (!link) throw new ApiError({ code: 'unavailable', message: 'This workstation is not linked to a hub.' });
    return link;
  }

  /** The hub's own plain words for a refusal, or a generic line when the answer is not ours. */
  async function refusal(response: Response, fallback: string): Promise<ApiError> {
    const body = refusalBodySchema.safeParse(await response.json().catch(() => undefined));
    return new ApiError({ code: 'unavailable', message: body.success ? body.data.reason : fallback });
  }

  async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetcher(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch {
      throw unreachable(url.replace(/(?:_clinic|_odh)\/.*$/, ''));
    }
  }

  /** The hub's id, which also tells a clinic hub from any other web server before a code is spent on it. */
  async function identify(hubUrl: string): Promise<string> {
    let response: Response;
    try {
      response = await fetcher(hubUrl, { signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch {
      throw unreachable(hubUrl);
    }
    const welcome = hubWelcomeSchema.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !welcome.success) throw notAHub(hubUrl);
    return welcome.data.uuid;
  }

  const authorization = (link: HubLink) => `Basic ${Buffer.from(`${link.workstationId}:${link.secret}`).toString('base64')}`;

  /** The URL a request goes to, checked as resolved: refused (and no credential sent) unless it is in this clinic's databases. */
  function requestUrl(link: HubLink, path: string): URL {
    const url = resolveHubRequestUrl(link.hubUrl, Object.values(clinicDatabases(link.clinicId)), path);
    if (!url) throw new ApiError({ code: 'bad_request', message: 'Only this clinic’s own databases can be asked of the hub.' });
    return url;
  }

  return {
    /** What the screens show and the replication needs (never the secret). */
    async status() {
      const link = await current();
      return link ? { linked: true as const, hubUrl: link.hubUrl, hubId: link.hubId, clinicId: link.clinicId, workstationId: link.workstationId, databases: clinicDatabases(link.clinicId) } : { linked: false as const };
    },

    /** Enrolls with a code's proof (the code itself never leaves the renderer) and keeps the credentials. */
    async enroll(input: { hubUrl: string; codeProof: EnrollmentProof; workstationName: string; clinicId?: string }) {
      if (await current()) throw new ApiError({ code: 'bad_request', message: 'This workstation is already linked to a hub.' });
      const hubUrl = normalizeHubUrl(input.hubUrl);
      const hubId = await identify(hubUrl);
      const response = await post(`${hubUrl}_clinic/enroll`, { codeProof: input.codeProof, workstationName: input.workstationName });
      if (response.status !== 201) throw await refusal(response, `The hub refused the enrollment (HTTP ${response.status}).`);
      const answer = enrollResponseSchema.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) throw notAHub(hubUrl);
      const { wrappedKey, databases, ...credentials } = answer.data;
      // The hub names its databases by the same protocol; one that does not serve every collection this workstation replicates cannot sync with it.
      const expected = clinicDatabases(credentials.clinicId);
      if (Object.entries(expected).some(([collection, database]) => databases[collection] !== database)) {
        options.log.warn('hub_link_collections_missing', { hubUrl });
        throw new ApiError({ code: 'unavailable', message: `The hub at ${hubUrl} does not serve everything this workstation replicates: it may need an update. Nothing was linked.` });
      }
      if (input.clinicId !== undefined && credentials.clinicId !== input.clinicId) {
        options.log.warn('hub_link_wrong_clinic', { hubUrl });
        throw new ApiError({
          code: 'unavailable',
          message: `That code is for another clinic on the hub (${credentials.clinicId}), not this one (${input.clinicId}); nothing was linked. Ask the hub's administrator for a code for ${input.clinicId}.`,
        });
      }
      const link: HubLink = { formatVersion: 1, hubUrl, hubId, ...credentials, databases: expected, linkedAt: new Date().toISOString() };
      await writeFileAtomic(options.file, JSON.stringify(link, null, 2));
      cached = link;
      options.log.info('hub_linked', { hubUrl, workstationId: link.workstationId, clinicId: link.clinicId });
      return { clinicId: link.clinicId, workstationId: link.workstationId, wrappedKey: wrappedKey ?? null };
    },

    /**
     * Deletes the link (and with it the credentials), when it is the one the
     * caller saw: a link made since is never removed by a stale screen. The
     * hub keeps the enrollment, unused; its administrator may revoke it.
     */
    async unlink(workstationId: string) {
      const link = await current();
      if (link && link.workstationId !== workstationId) throw new ApiError({ code: 'bad_request', message: 'This workstation is linked to the hub in another way than the screen showed; reload and look again.' });
      if (link) {
        await rm(options.file, { force: true });
        options.log.info('hub_unlinked', { hubUrl: link.hubUrl, workstationId: link.workstationId });
      }
      cached = null;
      return { linked: false as const };
    },

    /** Deposits a code an admin made here (its commitment, and the data key wrapped under it) for the next workstation; the hub answers its part of the code. */
    async issueCode(input: { codeCommitment: string; wrappedKey: string; expiresInHours: number }) {
      const link = await requireLink();
      const response = await post(`${link.hubUrl}_clinic/enrollment-codes`, input, { Authorization: authorization(link) });
      if (response.status !== 201) throw await refusal(response, `The hub refused the code (HTTP ${response.status}).`);
      const answer = issueCodeResponseSchema.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) throw new ApiError({ code: 'unavailable', message: 'The hub answered in an unexpected form.' });
      return { expiresAt: answer.data.expiresAt, hubPart: answer.data.hubPart };
    },

    /**
     * One item of the Open Data Hub queue (main/odh/contribution-queue.ts)
     * to the hub's ODH intake. Delivered: the hub's answer (a receipt);
     * refused for good (422: PHI found, 4xx): its reason; not reached, or
     * the hub failing (5xx): throws `unavailable`, and the queue tries again.
     */
    async odhSend(item: { kind: 'submission'; bundle: unknown } | { kind: 'withdrawal'; patient: string }): Promise<{ outcome: 'delivered'; answer: unknown } | { outcome: 'refused'; reason: string }> {
      const link = await requireLink();
      const path = item.kind === 'submission' ? '_odh/submissions' : '_odh/withdrawals';
      const response = await post(`${link.hubUrl}${path}`, item.kind === 'submission' ? item.bundle : { patient: item.patient }, { Authorization: authorization(link) });
      if (response.status >= 500) throw unreachable(link.hubUrl);
      if (response.ok) return { outcome: 'delivered', answer: await response.json().catch(() => ({})) };
      return { outcome: 'refused', reason: (await refusal(response, `The Open Data Hub refused it (HTTP ${response.status}).`)).message };
    },

    /**
     * The hub's road graph of its region (main/region/region-service.ts keeps
     * it): `unchanged` when `etag` is still the hub's, `none` when the hub has
     * none; throws `unavailable` when the hub cannot be reached.
     */
    async regionGraph(etag: string | undefined): Promise<{ kind: 'unchanged' } | { kind: 'none'; reason: string } | { kind: 'graph'; bytes: Uint8Array; etag: string | undefined }> {
      const link = await requireLink();
      let response: Response;
      try {
        // Brotli: the hub sends the graph at about a quarter of its size (sync/hub/region/region-store.ts); fetch decompresses it.
        response = await fetcher(`${link.hubUrl}_region/graph`, { headers: { Authorization: authorization(link), 'Accept-Encoding': 'br, gzip', ...(etag ? { 'If-None-Match': etag } : {}) }, signal: AbortSignal.timeout(10 * 60_000) });
        if (response.status === 304) return { kind: 'unchanged' };
        if (response.status === 404) return { kind: 'none', reason: (await refusal(response, 'The hub has no road graph for its region yet.')).message };
        if (!response.ok) throw unreachable(link.hubUrl);
        return { kind: 'graph', bytes: new Uint8Array(await response.arrayBuffer()), etag: response.headers.get('etag') ?? undefined };
      } catch (error) {
        throw error instanceof ApiError ? error : unreachable(link.hubUrl);
      }
    },

    /** One CouchDB replication request to this clinic's databases, credentials added; the answer as text. */
    async request(input: HubRequest): Promise<{ status: number; body: string }> {
      const link = await requireLink();
      const url = requestUrl(link, input.path);
      const longPoll = /[?&]feed=longpoll(?:&|$)/.test(input.path);
      const uploadMs = ((input.body?.length ?? 0) / timeouts.slowestUploadBytesPerSecond) * 1000;
      const controller = new AbortController();
      const silence = silenceTimer(controller, (longPoll ? timeouts.longPollMs : timeouts.silenceMs) + uploadMs, timeouts.silenceMs);
      try {
        const response = await fetcher(url, {
          method: input.method,
          headers: { Authorization: authorization(link), Accept: 'application/json', ...(input.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          body: input.body,
          signal: controller.signal,
        });
        silence.progress();
        return { status: response.status, body: await readText(response, () => silence.progress()) };
      } catch {
        throw unreachable(link.hubUrl);
      } finally {
        silence.stop();
      }
    },
  };
}

export type HubLinkService = ReturnType<typeof createHubLink>;
