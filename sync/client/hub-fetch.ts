import type { ParamsOf } from '../../app/contract/api';

/**
 * The `fetch` RxDB's CouchDB replication is given. It never touches the
 * network itself: each request becomes one `hub.request` to the main process,
 * which owns the hub credentials and lets only this clinic's databases
 * through (main/hub/hub-link.ts). RxDB builds URLs under `hubBaseUrl`, a
 * placeholder origin that only names the database.
 */

export const hubBaseUrl = 'http://hub.invalid/';

/** One CouchDB request as the contract carries it to the main process. */
export type HubRequest = ParamsOf<'hub.request'>;

export type HubCaller = (request: HubRequest) => Promise<{ status: number; body: string }>;

/** What the fetch saw last, for the sync status: the link is up or down, or the hub refuses this workstation. */
export type LinkObservation = { kind: 'answered'; status: number } | { kind: 'unreachable'; message: string };

/**
 * A live pull asks the hub to hold the request with a heartbeat, which keeps
 * it open until a change comes; a bounded `timeout` instead lets the hub
 * answer "nothing new" every 50 s, so a dead link shows as one quickly.
 */
export const liveTimeoutMs = 50_000;

function toPath(url: URL): string {
  if (url.searchParams.get('feed') === 'longpoll') {
    url.searchParams.delete('heartbeat');
    url.searchParams.set('timeout', String(liveTimeoutMs));
  }
  return url.pathname + url.search;
}

export function createHubFetch(call: HubCaller, observe: (observation: LinkObservation) => void = () => {}): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== new URL(hubBaseUrl).origin) throw new TypeError('The replication asked for an address outside the hub.');
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') throw new TypeError(`The replication asked for ${method}, which the hub link does not carry.`);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    let answer: { status: number; body: string };
    try {
      answer = await call({ method, path: toPath(url), ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The hub cannot be reached.';
      observe({ kind: 'unreachable', message });
      // RxDB treats a rejected fetch as a network failure and retries after its retry time.
      throw new TypeError(message);
    }
    observe({ kind: 'answered', status: answer.status });
    // RxDB reads any answer as data (its live pull crashes on an error body): a refusal or a hub failure
    // is a failed request instead, which it retries after its pause; the status above says which it was.
    if (answer.status >= 400) throw new TypeError(`The hub answered HTTP ${answer.status}.`);
    const nullBody = answer.status === 204 || answer.status === 304;
    return new Response(nullBody ? null : answer.body, { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}
