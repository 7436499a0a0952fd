import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ResponseEnvelope } from '../../app/contract/envelope';
import { dataPortChannel, ipcChannel, ipcEventChannel, limits } from '../../app/contract/envelope';
import { createRateLimiter } from '../api/rate-limiter';
import { fail, type Dispatcher } from '../api/dispatcher';
import { isAppUrl } from '../security/app-origin';
import type { Workstation } from '../compose';

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

/**
 * Passes every event the workstation reports, of every topic, to the app's
 * window on the one event channel, enveloped as it came (the WebSocket sends
 * the same envelope); the client checks each against its topic's schema.
 * Returns how to stop.
 */
export function sendIpcEvents(contents: Pick<WebContents, 'send'>, workstation: Pick<Workstation, 'subscribe'>): () => void {
  return workstation.subscribe((envelope) => contents.send(ipcEventChannel, envelope));
}

/** What the data worker's port offers here: Electron's MessagePortMain, or Node's MessagePort in tests, wrapped alike. */
export interface DataPort {
  onMessage(listener: (data: unknown) => void): void;
  postMessage(message: ResponseEnvelope): void;
  close(): void;
}

/** One request from the data worker, checked like one on `ipcChannel` (size, rate) before the dispatcher sees it. */
function answerOnPort(port: DataPort, dispatcher: Dispatcher, limiter: RateLimiter, request: unknown): void {
  const size = jsonSize(request);
  const refused = !limiter.tryTake()
    ? fail(null, 'rate_limited', 'Too many requests at once; please wait a moment.')
    : size === undefined
      ? fail(null, 'bad_request', 'The request is not a valid {id, method, params} message.')
      : size > limits.maxRequestBytes
        ? fail(null, 'too_large', `The request is larger than ${limits.maxRequestBytes} bytes.`)
        : undefined;
  if (refused) return port.postMessage(refused);
  void dispatcher.handleValue(request, { transport: 'ipc' }).then((response) => port.postMessage(response));
}

/** Serves the contract on one data worker's port, with its own rate limit. */
export function serveDataPort(port: DataPort, dispatcher: Dispatcher): void {
  const limiter = createRateLimiter();
  port.onMessage((request) => answerOnPort(port, dispatcher, limiter, request));
}

/**
 * Takes the ports the preload opens for the data worker (`dataPortChannel`)
 * and serves the contract on each; a port from any frame but the app's own is
 * closed unserved.
 */
export function registerDataPorts(ipcMain: Pick<IpcMain, 'on'>, dispatcher: Dispatcher): void {
  ipcMain.on(dataPortChannel, (event: IpcMainEvent) => {
    const [port] = event.ports;
    if (!port) return;
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url)) {
      port.close();
      return;
    }
    serveDataPort({ onMessage: (listener) => port.on('message', (message) => listener(message.data)), postMessage: (message) => port.postMessage(message), close: () => port.close() }, dispatcher);
    port.start();
  });
}
