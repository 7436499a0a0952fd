import { ApiError } from '../../app/contract/errors';
import { StoreError } from './store-error';

/**
 * Calls `call` until the other end answers: while the main process says it
 * cannot reach it (ApiError `unavailable`: no link, down, busy), waits and
 * tries again, 5 s then doubling to at most 5 minutes, telling `onWaiting`
 * why and until when (and `undefined` once it answered). Any other failure
 * is the caller's. A FHIR push and HL7 results both go out this way, so a
 * sending started while the link is down goes out when it returns.
 */

/** Waits between tries while the other end cannot be reached: 5 s, doubling, at most 5 minutes. */
export const reachWaits = { firstMs: 5_000, longestMs: 5 * 60_000 };

/** What a sending that waits says on the screen. */
export interface LinkWaiting {
  reason: string;
  retryAt: string;
}

export async function untilReachable<T>(call: () => Promise<T>, signal: AbortSignal, onWaiting: (waiting: LinkWaiting | undefined) => void, waits = reachWaits): Promise<T> {
  for (let wait = waits.firstMs; ; wait = Math.min(wait * 2, waits.longestMs)) {
    try {
      const answer = await call();
      onWaiting(undefined);
      return answer;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'unavailable')) throw error;
      onWaiting({ reason: error.message, retryAt: new Date(Date.now() + wait).toISOString() });
      await sleep(wait, signal);
    }
  }
}

/** Sleeps, unless the sending is stopped meanwhile (StoreError `export_cancelled`). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StoreError('export_cancelled', 'The sending was stopped by an administrator.'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new StoreError('export_cancelled', 'The sending was stopped by an administrator.'))), { once: true });
  });
}
