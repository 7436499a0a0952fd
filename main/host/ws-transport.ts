import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { limits, type ResponseEnvelope } from '../../app/contract/envelope';
import { wsCloseCodes, wsPath, wsProtocol, wsTokenPrefix } from '../../app/contract/websocket';
import { fail, salvageId } from '../api/dispatcher';
import type { Workstation } from '../compose';
import { createRateLimiter } from '../api/rate-limiter';
import type { Logger } from '../../app/log/logger';

export interface WebSocketApiOptions {
  server: Server;
  token: string;
  workstation: Pick<Workstation, 'dispatcher' | 'subscribe'>;
  /** Origins whose pages may connect (the host's own). */
  allowedOrigins: () => readonly string[];
  log: Logger;
}

/** A text frame's bytes as a string, whichever form ws delivered them in. */
const rawText = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');

const digest = (text: string) => createHash('sha256').update(text).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/**
 * Serves the contract on ws://127.0.0.1:<port>/api. A connection without the
 * launch token, or from a page of another origin, receives one typed
 * `unauthorized` error and is closed; it can never reach a handler.
 */
export function attachWebSocketApi(options: WebSocketApiOptions): { close(): Promise<void> } {
  const { token, log } = options;
  const { dispatcher } = options.workstation;
  // The hard cap protects memory; requests between the contract limit and this
  // cap still get a typed too_large answer instead of a dropped connection.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxRequestBytes * 4,
    handleProtocols: (protocols) => (protocols.has(wsProtocol) ? wsProtocol : false),
  });

  const send = (socket: WebSocket, response: ResponseEnvelope) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(response));
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://host').pathname !== wsPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const origin = req.headers.origin;
      if (origin !== undefined && !options.allowedOrigins().includes(origin)) {
        log.warn('ws_refused', { reason: 'origin' });
        send(ws, fail(null, 'unauthorized', 'This page is not the workstation app, so it may not connect.'));
        ws.close(wsCloseCodes.forbiddenOrigin, 'origin not allowed');
        return;
      }
      const offered = offeredProtocols(req).find((p) => p.startsWith(wsTokenPrefix));
      if (!offered || !sameSecret(offered.slice(wsTokenPrefix.length), token)) {
        log.warn('ws_refused', { reason: offered ? 'wrong_token' : 'missing_token' });
        send(ws, fail(null, 'unauthorized', 'The workstation link is missing its access token. Open the address printed when the workstation started.'));
        ws.close(wsCloseCodes.unauthorized, 'unauthorized');
        return;
      }
      serve(ws);
    });
  };

  function serve(ws: WebSocket) {
    const limiter = createRateLimiter();
    // Only an authenticated connection hears events (every topic, as enveloped).
    const unsubscribe = options.workstation.subscribe((envelope) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(envelope));
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        send(ws, fail(null, 'bad_request', 'Requests must be JSON text.'));
        return;
      }
      const text = rawText(data);
      if (Buffer.byteLength(text, 'utf8') > limits.maxRequestBytes) {
        send(ws, fail(null, 'too_large', `The request is larger than ${limits.maxRequestBytes} bytes.`));
        return;
      }
      if (!limiter.tryTake()) {
        let id: string | null = null;
        try {
          id = salvageId(JSON.parse(text));
        } catch {
          // unreadable and over the rate: answer without an id
        }
        send(ws, fail(id, 'rate_limited', 'Too many requests at once; please wait a moment.'));
        return;
      }
      dispatcher.handleText(text, { transport: 'websocket' }).then(
        (response) => send(ws, response),
        () => send(ws, fail(null, 'internal', 'The workstation could not answer that request.')),
      );
    });
  }

  options.server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        options.server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
