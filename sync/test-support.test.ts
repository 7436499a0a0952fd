import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './test-support';

// The proxy between a client and small in-process HTTP servers. Most requests
// go through node:http without an agent, so each has its own connection and
// "the connections open now" is exactly what the test started; a few go
// through fetch (undici, keep-alive), the client the sync code uses.

// A pattern that repeats every 251 bytes (a prime): a chunk out of order or lost shows.
const largeBody = Buffer.from(Array.from({ length: 1024 * 1024 }, (_, i) => i % 251));

interface Upstream {
  server: Server;
  url: string;
  /** Called when a request for /slow arrives; the response then stays open until the server closes. */
  onSlowRequest: (() => void) | undefined;
}

async function startUpstream(name: string): Promise<Upstream> {
  const upstream: Upstream = { server: createServer(), url: '', onSlowRequest: undefined };
  upstream.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/hello') {
      res.end(`hello from ${name}`);
    } else if (req.url === '/large') {
      res.setHeader('Content-Length', largeBody.length);
      res.end(largeBody);
    } else if (req.url === '/slow') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first part');
      upstream.onSlowRequest?.();
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}/`;
  return upstream;
}

async function stopUpstream(upstream: Upstream | undefined): Promise<void> {
  upstream?.server.closeAllConnections();
  await new Promise((resolve) => upstream?.server.close(resolve));
}

interface Download {
  status?: number;
  body: Buffer;
  error?: NodeJS.ErrnoException;
}

/** One request on its own connection (no agent); never rejects, so a test can look at how far it got. */
function download(url: string): Promise<Download> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status: number | undefined;
    const finish = (error?: NodeJS.ErrnoException) => resolve({ status, body: Buffer.concat(chunks), error });
    const req = request(url, { agent: false }, (res) => {
      status = res.statusCode;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish());
      res.on('error', finish);
    });
    req.on('error', finish);
    req.end();
  });
}

let upstreamA: Upstream;
let upstreamB: Upstream;
let proxy: FaultProxy;

beforeAll(async () => {
  [upstreamA, upstreamB] = await Promise.all([startUpstream('A'), startUpstream('B')]);
});

afterAll(async () => {
  await Promise.all([stopUpstream(upstreamA), stopUpstream(upstreamB)]);
});

beforeEach(async () => {
  proxy = await startFaultProxy(upstreamA.url);
});

afterEach(async () => {
  await proxy.close();
});

describe('the fault proxy', () => {
  it('forwards requests and records both directions', async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(proxy.url).not.toBe(upstreamA.url);

    const viaFetch = await fetch(`${proxy.url}hello`);
    expect(await viaFetch.text()).toBe('hello from A');
    const viaHttp = await download(`${proxy.url}hello`);
    expect(viaHttp).toMatchObject({ status: 200, error: undefined });
    expect(viaHttp.body.toString()).toBe('hello from A');

    const { up, down } = proxy.traffic();
    expect(up.toString('latin1')).toContain('GET /hello HTTP/1.1\r\n');
    expect(down.toString('latin1')).toContain('hello from A');
    // Copies: what a test holds does not change as more traffic passes.
    up.fill(0);
    expect(proxy.traffic().up.toString('latin1')).toContain('GET /hello HTTP/1.1\r\n');
    expect(proxy.cuts).toBe(0);
  });

  it('records nothing when asked not to', async () => {
    const quiet = await startFaultProxy(upstreamA.url, { recordTraffic: false });
    try {
      expect((await download(`${quiet.url}hello`)).body.toString()).toBe('hello from A');
      const { up, down } = quiet.traffic();
      expect(up.length + down.length).toBe(0);
    } finally {
      await quiet.close();
    }
  });

  it('dropAll() breaks a response in progress, and the next request works', async () => {
    const arrived = new Promise<void>((resolve) => (upstreamA.onSlowRequest = resolve));
    // Through fetch, as the sync client would: the promise settles only when the whole body is in.
    const slow = fetch(`${proxy.url}slow`).then((response) => response.text());
    await arrived;

    const dropped = proxy.dropAll();
    expect(dropped).toBeGreaterThanOrEqual(1);
    expect(proxy.cuts).toBe(dropped);
    await expect(slow).rejects.toThrow();

    // The cut connection was busy, so fetch's pool cannot hand it out again: the next request opens a new one.
    expect(await (await fetch(`${proxy.url}hello`)).text()).toBe('hello from A');
  });

  it('chaos cuts a large response mid-body, and chaos(undefined) stops it', async () => {
    // random() = 0.5: every connection is chosen (0.5 < 1) and its budget is 1000 + floor(0.5 × 2001) = 2000 bytes.
    proxy.chaos({ probability: 1, minBytes: 1000, maxBytes: 3000, random: () => 0.5 });
    const broken = await download(`${proxy.url}large`);
    expect(broken.status).toBe(200); // the headers passed…
    expect(broken.error).toBeDefined(); // …the body did not
    expect(broken.body.length).toBeLessThan(2000);
    expect(proxy.cuts).toBe(1);

    proxy.chaos(undefined);
    const whole = await download(`${proxy.url}large`);
    expect(whole.error).toBeUndefined();
    expect(whole.body.equals(largeBody)).toBe(true);
    expect(proxy.cuts).toBe(1);
  });

  it('latency() delays every exchange by the link’s delay each way and keeps a large body whole and in order; latency(0) ends it', async () => {
    proxy.latency(150);
    const started = performance.now();
    const slow = await download(`${proxy.url}large`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(slow.error).toBeUndefined();
    expect(slow.body.equals(largeBody)).toBe(true);

    proxy.latency(0);
    const quick = performance.now();
    expect((await download(`${proxy.url}hello`)).body.toString()).toBe('hello from A');
    expect(performance.now() - quick).toBeLessThan(300);
  });

  it('pause() makes requests fail with a connection error, resume() restores them', async () => {
    proxy.pause();
    const refused = await download(`${proxy.url}hello`);
    expect(refused.status).toBeUndefined();
    expect(['ECONNRESET', 'EPIPE']).toContain(refused.error?.code);
    expect(proxy.cuts).toBe(1);

    proxy.resume();
    expect((await download(`${proxy.url}hello`)).body.toString()).toBe('hello from A');
  });

  it('retarget() sends new connections to the new upstream', async () => {
    proxy.retarget(upstreamB.url);
    expect((await download(`${proxy.url}hello`)).body.toString()).toBe('hello from B');
    expect(proxy.cuts).toBe(0);
  });

  it('survives an upstream that is down: the client’s connection is reset', async () => {
    const gone = await startUpstream('gone');
    await stopUpstream(gone);
    proxy.retarget(gone.url);
    expect(['ECONNRESET', 'EPIPE']).toContain((await download(`${proxy.url}hello`)).error?.code);

    proxy.retarget(upstreamA.url);
    expect((await download(`${proxy.url}hello`)).body.toString()).toBe('hello from A');
  });
});
