import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy for tests, put between an HTTP client and a real hub on
 * 127.0.0.1: it records every byte that passes, so a test can scan the wire
 * for what must never cross it (patient names), and it breaks connections on
 * demand, so a test can show that sync survives a network that fails midway.
 * Bytes, not HTTP: the client and the hub see exactly what they would see on a
 * real link. (For tests only; not shipped.)
 */

interface ChaosOptions {
  /** 0..1: the chance that a connection is chosen to be cut. */
  probability: number;
  /** A chosen connection is cut after carrying between minBytes and maxBytes (inclusive), counted in both directions together. */
  minBytes: number;
  maxBytes: number;
  /** Math.random unless given: a test passes its own to make the cuts repeatable. */
  random?: () => number;
}

export interface FaultProxy {
  /** e.g. http://127.0.0.1:PORT/ — same form as the upstream url (trailing slash kept), so tests can swap one for the other. */
  url: string;
  /**
   * Every byte the proxy has received so far, client→upstream (`up`) and
   * upstream→client (`down`), as copies; including the bytes of a chunk that a
   * cut stopped from reaching the other side, since they did cross the link
   * from their sender. Throws once the recording outgrew its bound: a scan of
   * a truncated recording would pass without having looked.
   */
  traffic(): { up: Buffer; down: Buffer };
  /** Destroys every open connection now (both sockets, with a reset where possible: no FIN, as when a cable is pulled). Returns how many were cut. */
  dropAll(): number;
  /**
   * From now on, cut each new or open connection after it has carried a random
   * number of bytes in [minBytes, maxBytes] (in either direction, counted from
   * when chaos began for it); `probability` (0..1) of a connection being
   * chosen. The bytes up to the cut are delivered, so a response breaks
   * mid-body rather than between messages. Pass undefined to stop.
   */
  chaos(options: ChaosOptions | undefined): void;
  /** Point the proxy at another upstream (the hub restarted on a new port); open connections are dropped, as they would be by the restart. */
  retarget(upstreamUrl: string): void;
  /**
   * The link goes down: open connections are cut now (else a client's
   * keep-alive connection would carry on as if nothing happened), and while
   * paused new connections are accepted and immediately reset.
   */
  pause(): void;
  /** The link is back: new connections are proxied again. */
  resume(): void;
  /** A slow link: from now on every chunk, either way, reaches the other side `ms` after it arrived (in order); 0 ends it. */
  latency(ms: number): void;
  /** Connections cut so far by dropAll, chaos and pause (not by retarget or close, which model no fault). */
  readonly cuts: number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/** Per direction. Far above what a test's sync carries, small enough that a runaway test fails instead of eating memory. */
const maxRecordedBytes = 64 * 1024 * 1024;

interface Upstream {
  host: string;
  port: number;
}

interface Connection {
  client: Socket;
  upstream: Socket;
  /** When chaos chose this connection: how many bytes it may carry before it is cut. */
  budget: number | undefined;
  /** Bytes carried since chaos last looked at this connection. */
  carried: number;
}

class Recording {
  private chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  add(chunk: Buffer): void {
    if (this.overflowed) return;
    if (this.size + chunk.length > maxRecordedBytes) {
      // Keep nothing more, and remember why: see FaultProxy.traffic.
      this.overflowed = true;
      this.chunks = [];
      return;
    }
    // A copy: the recording must not change if anyone reuses the chunk's memory.
    this.chunks.push(Buffer.from(chunk));
    this.size += chunk.length;
  }

  contents(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

function parseUpstream(upstreamUrl: string): Upstream & { origin: string } {
  const url = new URL(upstreamUrl);
  if (url.protocol !== 'http:') throw new Error(`the fault proxy forwards plain http only, not ${upstreamUrl}`);
  // The proxy url is the upstream url with another origin; that only works if the url starts with its origin as URL spells it.
  if (!upstreamUrl.startsWith(url.origin)) throw new Error(`write the upstream url in its canonical form (${url.origin}…), not ${upstreamUrl}`);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 80), origin: url.origin };
}

/** No FIN: a reset where the socket is connected, else a plain destroy (a socket still connecting has nothing to reset). */
function cutSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

export async function startFaultProxy(upstreamUrl: string, options: { recordTraffic?: boolean } = {}): Promise<FaultProxy> {
  const parsed = parseUpstream(upstreamUrl);
  let upstream: Upstream = parsed;
  const recordTraffic = options.recordTraffic ?? true;
  const recorded = { up: new Recording(), down: new Recording() };
  const open = new Set<Connection>();
  let chaos: ChaosOptions | undefined;
  let paused = false;
  let cuts = 0;
  let latencyMs = 0;

  /** Rolls the dice for one connection; its byte count starts over. */
  function applyChaos(connection: Connection): void {
    connection.carried = 0;
    connection.budget = undefined;
    if (!chaos) return;
    const random = chaos.random ?? Math.random;
    if (random() >= chaos.probability) return;
    connection.budget = chaos.minBytes + Math.floor(random() * (chaos.maxBytes - chaos.minBytes + 1));
  }

  function cut(connection: Connection, counted: boolean): void {
    open.delete(connection);
    cutSocket(connection.client);
    cutSocket(connection.upstream);
    if (counted) cuts += 1;
  }

  function cutAll(counted: boolean): number {
    const connections = [...open];
    for (const connection of connections) cut(connection, counted);
    return connections.length;
  }

  /** Forwards `from` → `to` by hand rather than with pipe(): chaos must see, and may split, every chunk. */
  function forward(connection: Connection, from: Socket, to: Socket, recording: Recording): void {
    // A slow link's chunks wait in order (null: the FIN); once the queue is empty and the latency 0, they go straight on.
    const queue: { due: number; chunk: Buffer | null }[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pass = (chunk: Buffer | null) => (chunk ? deliver(chunk) : to.end());
    const drain = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.due <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (!open.has(connection)) return void (queue.length = 0);
        pass(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, queue[0]!.due - Date.now());
    };
    const send = (chunk: Buffer | null) => {
      if (latencyMs === 0 && queue.length === 0) return pass(chunk);
      queue.push({ due: Date.now() + latencyMs, chunk });
      timer ??= setTimeout(drain, Math.max(0, queue[0]!.due - Date.now()));
    };
    from.on('data', (chunk: Buffer) => {
      if (recordTraffic) recording.add(chunk);
      send(chunk);
    });
    const deliver = (chunk: Buffer) => {
      if (connection.budget !== undefined) {
        const remaining = connection.budget - connection.carried;
        if (chunk.length >= remaining) {
          // Deliver up to the budget, then cut: the far side sees a message broken where the budget ran out.
          if (remaining > 0) to.write(chunk.subarray(0, remaining));
          cut(connection, true);
          return;
        }
      }
      connection.carried += chunk.length;
      // Backpressure: a slow reader slows the sender, as it would without the proxy.
      if (!to.write(chunk)) from.pause();
    };
    to.on('drain', () => from.resume());
    // A FIN is passed on as a FIN (half-open allowed on both sockets), so HTTP framing that relies on it still works.
    from.on('end', () => send(null));
    from.on('close', (hadError) => {
      if (hadError) cut(connection, false);
      else if (connection.client.destroyed && connection.upstream.destroyed) open.delete(connection);
    });
    // ECONNRESET, EPIPE, ECONNREFUSED (upstream down): the other side is cut too, and the test process lives on.
    from.on('error', () => cut(connection, false));
  }

  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    if (paused) {
      client.on('error', () => {});
      cutSocket(client);
      cuts += 1;
      return;
    }
    const connection: Connection = {
      client,
      upstream: connect({ host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true }),
      budget: undefined,
      carried: 0,
    };
    open.add(connection);
    applyChaos(connection);
    forward(connection, client, connection.upstream, recorded.up);
    forward(connection, connection.upstream, client, recorded.down);
  });
  // A failure to accept must not become an uncaught exception in the test process.
  server.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}` + upstreamUrl.slice(parsed.origin.length),
    traffic() {
      if (recorded.up.overflowed || recorded.down.overflowed) {
        throw new Error(`the fault proxy recorded more than ${maxRecordedBytes} bytes in one direction and stopped recording`);
      }
      return { up: recorded.up.contents(), down: recorded.down.contents() };
    },
    dropAll: () => cutAll(true),
    chaos(options) {
      chaos = options;
      for (const connection of open) applyChaos(connection);
    },
    retarget(newUrl) {
      upstream = parseUpstream(newUrl);
      cutAll(false);
    },
    pause() {
      paused = true;
      cutAll(true);
    },
    resume() {
      paused = false;
    },
    latency(ms) {
      latencyMs = ms;
    },
    get cuts() {
      return cuts;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        cutAll(false);
      });
      return closed;
    },
  };
}
