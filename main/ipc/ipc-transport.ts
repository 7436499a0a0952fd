import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ResponseEnvelope } from '../../app/contract/envelope';
import { ipcChannel, limits } from '../../app/contract/envelope';
import { createRateLimiter } from '../api/rate-limiter';
import { fail, type Dispatcher } from '../api/dispatcher';
import { isAppUrl } from '../security/app-origin';

type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Size of an IPC value as JSON; values JSON cannot carry are rejected as oversize-or-bad. */
function jsonSize(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : Buffer.byteLength(text, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Serves the contract over Electron IPC. Only frames showing the app's own
 * origin may call; each sending frame has its own rate limit, and oversize or
 * non-JSON values are refused before validation, as on the WebSocket.
 */
export function registerIpcApi(ipcMain: Pick<IpcMain, 'handle'>, dispatcher: Dispatcher): void {
  const limiters = new WeakMap<object, RateLimiter>();
  ipcMain.handle(ipcChannel, (event: IpcMainInvokeEvent, request: unknown): Promise<ResponseEnvelope> | ResponseEnvelope => {
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url)) {
      return fail(null, 'unauthorized', 'Requests are accepted only from the workstation app itself.');
    }
    let limiter = limiters.get(frame);
    if (!limiter) limiters.set(frame, (limiter = createRateLimiter()));
    if (!limiter.tryTake()) return fail(null, 'rate_limited', 'Too many requests at once; please wait a moment.');
    const size = jsonSize(request);
    if (size === undefined) return fail(null, 'bad_request', 'The request is not a valid {id, method, params} message.');
    if (size > limits.maxRequestBytes) return fail(null, 'too_large', `The request is larger than ${limits.maxRequestBytes} bytes.`);
    return dispatcher.handleValue(request, { transport: 'ipc' });
  });
}
