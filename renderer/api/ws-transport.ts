import { ApiError } from '../../app/contract/errors';
import { isMethodName, type MethodName } from '../../app/contract/api';
import { limits, responseSchema, type RequestEnvelope } from '../../app/contract/envelope';
import type { Transport } from '../../app/contract/client';
import { wsCloseCodes, wsPath, wsProtocol, wsTokenPrefix } from '../../app/contract/websocket';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

export interface WebSocketTransport extends Transport {
  readonly state: ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
  /** Switches to a new launch token (the host restarted) and reconnects. */
  useToken(token: string): void;
}

const requestTimeoutMs = 15_000;
/**
 * Calls the main process answers only once the hub has: the hub holds a live
 * pull for up to 50 s (sync/client/hub-fetch.ts), and the main process gives
 * up on a hub request only after 30 s without progress, so a batch moving
 * slowly over a rural link may take minutes (main/hub/hub-link.ts; enrolling
 * makes two requests of at most 30 s). This wait is only the guard against a
 * main process that never answers; giving up sooner would report a working
 * but slow or quiet hub link as down.
 */
const slowCallTimeoutsMs: Partial<Record<MethodName, number>> = { 'hub.request': 15 * 60_000, 'hub.enroll': 65_000, 'hub.issueCode': 35_000 };
const maxBackoffMs = 10_000;

/**
 * Browser mode's transport: one WebSocket to the host that served the page,
 * reconnecting with backoff after the host restarts. A call made while the
 * link is down fails at once with `transport_closed` rather than hanging.
 */
export function createWebSocketTransport(url: string, initialToken: string): WebSocketTransport {
  let token = initialToken;
  let socket: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let backoff = 500;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(s: ConnectionState) => void>();
  const eventListeners = new Set<(envelope: unknown) => void>();
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };

  const settle = (id: string, outcome: { value: unknown } | { error: Error }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    clearTimeout(call.timer);
    if ('value' in outcome) call.resolve(outcome.value);
    else call.reject(outcome.error);
  };

  function connect() {
    setState('connecting');
    const ws = new WebSocket(url, [wsProtocol, wsTokenPrefix + token]);
    socket = ws;
    ws.onopen = () => {
      backoff = 500;
      setState('connected');
    };
    ws.onmessage = (event) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (typeof parsed === 'object' && parsed !== null && 'type' in parsed && parsed.type === 'event') {
        eventListeners.forEach((listener) => listener(parsed));
        return;
      }
      const response = responseSchema.safeParse(parsed);
      if (response.success && response.data.id !== null) settle(response.data.id, { value: parsed });
    };
    ws.onclose = (event) => {
      for (const id of [...pending.keys()]) {
        settle(id, { error: new ApiError({ code: 'transport_closed', message: 'The connection to the workstation service closed.' }) });
      }
      if (ws !== socket) return; // replaced by useToken
      if (event.code === wsCloseCodes.unauthorized || event.code === wsCloseCodes.forbiddenOrigin) {
        setState('unauthorized');
        return;
      }
      setState('disconnected');
      retry = setTimeout(connect, backoff);
      backoff = Math.min(maxBackoffMs, backoff * 2);
    };
  }
  connect();

  return {
    kind: 'websocket',
    get state() {
      return state;
    },
    useToken(next) {
      token = next;
      clearTimeout(retry);
      backoff = 500;
      const old = socket;
      connect();
      old?.close();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    send(request: RequestEnvelope) {
      const text = JSON.stringify(request);
      if (new TextEncoder().encode(text).length > limits.maxRequestBytes) {
        return Promise.reject(new ApiError({ code: 'too_large', message: 'This request is too large to send.' }));
      }
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return Promise.reject(new ApiError({ code: 'transport_closed', message: 'The workstation service is not connected.' }));
      }
      const ws = socket;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => settle(request.id, { error: new ApiError({ code: 'timeout', message: 'The workstation service did not answer in time.' }) }),
          (isMethodName(request.method) ? slowCallTimeoutsMs[request.method] : undefined) ?? requestTimeoutMs,
        );
        pending.set(request.id, { resolve, reject, timer });
        ws.send(text);
      });
    },
  };
}

export const webSocketUrl = (location: Location): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${wsPath}`;
