import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { events } from '../../app/contract/api';
import { limits } from '../../app/contract/envelope';
import { hidScript } from '../../device-bridge/simulate/hid-scripts';
import { createScriptedHidFactory } from '../../device-bridge/transports/scripted-hid';
import { wsProtocol, wsTokenPrefix } from '../../app/contract/websocket';
import { fakeRendererDir, testWorkstationOptions } from '../test-support';
import { startBrowserHost, type BrowserHost } from './browser-host';

let host: BrowserHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(opts: { freestyle?: boolean } = {}) {
  const options = await testWorkstationOptions();
  if (opts.freestyle) options.devices = { ...options.devices, hid: createScriptedHidFactory([hidScript('freestyle')]) };
  host = await startBrowserHost({ ...options, port: 0, rendererDir: await fakeRendererDir() });
  return { host, dataDir: options.dataDir };
}

interface Client {
  ws: WebSocket;
  /** Every message received, parsed. */
  messages: unknown[];
  next(): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

function open(h: BrowserHost, opts: { token?: string | null; origin?: string } = {}): Promise<Client> {
  const token = opts.token === undefined ? h.token : opts.token;
  const protocols = token === null ? [wsProtocol] : [wsProtocol, wsTokenPrefix + token];
  const ws = new WebSocket(`${h.origin.replace('http', 'ws')}/api`, protocols, { origin: opts.origin ?? h.origin });
  const messages: unknown[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const parsed = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(parsed);
    else messages.push(parsed);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      const queued = messages.shift();
      if (queued) resolve(queued as Record<string, unknown>);
      else waiters.push(resolve);
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next, closed }));
    ws.once('error', reject);
  });
}

const ping = (id: string) => JSON.stringify({ id, method: 'system.ping', params: { nonce: id } });

describe('WebSocket transport', () => {
  it('serves a contract call to a client holding the launch token', async () => {
    const { host } = await start();
    const client = await open(host);
    client.ws.send(JSON.stringify({ id: 'i1', method: 'system.info', params: {} }));
    expect(await client.next()).toMatchObject({ id: 'i1', ok: true, result: { transport: 'websocket', appName: 'Clinic Workstation' } });
    client.ws.close();
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'not-the-launch-token'],
    ['an empty token', ''],
  ])('answers a connection with %s with a typed unauthorized error and closes it', async (_label, token) => {
    const { host } = await start();
    const client = await open(host, { token });
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await client.closed).toBe(4401);
  });

  it('refuses a page of another origin even with the token', async () => {
    const { host } = await start();
    const client = await open(host, { origin: 'http://evil.example' });
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await client.closed).toBe(4403);
  });

  it('sends a reading run’s events to an authenticated connection, each in its topic’s envelope and on its topic’s contract', async () => {
    const { host } = await start({ freestyle: true });
    const client = await open(host);
    client.ws.send(JSON.stringify({ id: 'r1', method: 'devices.start', params: { deviceId: 'hid:simulated:freestyle', driver: 'freestyle' } }));
    const heard: Record<string, unknown>[] = [];
    const deadline = Date.now() + 10_000;
    while (!heard.some((m) => (m.payload as { event?: string } | undefined)?.event === 'run.ended')) {
      if (Date.now() > deadline) throw new Error('the reading run did not end within 10 s');
      heard.push(await client.next());
    }
    const answer = heard.find((m) => m.id === 'r1');
    expect(answer).toMatchObject({ ok: true });
    const runId = (answer?.result as { runId?: unknown }).runId;
    expect(runId).toMatch(/^run-/);
    const envelopes = heard.filter((m) => m.type === 'event');
    for (const envelope of envelopes) {
      expect(Object.keys(envelope).sort()).toEqual(['payload', 'topic', 'type']);
      expect(envelope.topic).toBe('devices');
      expect(events.devices.payload.safeParse(envelope.payload).success).toBe(true);
    }
    const payloads = envelopes.map((e) => e.payload as { event: string; runId?: string; devices?: { runId?: string }[] });
    expect(payloads.some((p) => p.event === 'devices.changed' && p.devices?.[0]?.runId === runId)).toBe(true);
    expect(payloads.filter((p) => p.event === 'run.items').length).toBeGreaterThan(0);
    expect(payloads.filter((p) => p.event.startsWith('run.')).every((p) => p.runId === runId)).toBe(true);
    expect(payloads.at(-1)).toMatchObject({ event: 'run.ended', runId, reason: 'completed' });
    client.ws.close();
  });

  it('answers garbage, wrong types, binary and oversize frames with typed errors and keeps the connection', async () => {
    const { host } = await start();
    const client = await open(host);
    client.ws.send('\u0000\u0001 not json at all');
    expect(await client.next()).toMatchObject({ id: null, ok: false, error: { code: 'bad_request' } });
    client.ws.send(JSON.stringify({ id: 'w1', method: 'system.ping', params: { nonce: ['array'] } }));
    expect(await client.next()).toMatchObject({ id: 'w1', ok: false, error: { code: 'bad_request' } });
    client.ws.send(JSON.stringify({ id: 'w2', method: 'no.such.method', params: {} }));
    expect(await client.next()).toMatchObject({ id: 'w2', ok: false, error: { code: 'unknown_method' } });
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    client.ws.send(JSON.stringify({ id: 'w3', method: 'settings.update', params: { locale: 'x'.repeat(limits.maxRequestBytes + 1024) } }));
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'too_large' } });
    client.ws.send(ping('after'));
    expect(await client.next()).toMatchObject({ id: 'after', ok: true });
    client.ws.close();
  });

  it('slows a flooding client with typed errors while other clients are served', async () => {
    const { host } = await start();
    const flooder = await open(host);
    const other = await open(host);
    const total = 2000;
    for (let i = 0; i < total; i++) flooder.ws.send(ping(`f${i}`));
    const answers: Record<string, unknown>[] = [];
    for (let i = 0; i < total; i++) answers.push(await flooder.next());
    const limited = answers.filter((a) => (a.error as { code?: string } | undefined)?.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(total / 2);
    expect(answers.filter((a) => a.ok === true).length).toBeGreaterThan(0);
    // Every request got an answer it can match: nothing was silently dropped.
    expect(new Set(answers.map((a) => a.id)).size).toBe(total);

    other.ws.send(ping('calm'));
    expect(await other.next()).toMatchObject({ id: 'calm', ok: true });
    flooder.ws.close();
    other.ws.close();
  });

  it('performs no partial write when a message is rejected', async () => {
    const { host, dataDir } = await start();
    const client = await open(host);
    client.ws.send(JSON.stringify({ id: 's1', method: 'settings.update', params: { locale: 'fr' } }));
    expect(await client.next()).toMatchObject({ ok: true, result: { locale: 'fr' } });
    const before = await readFile(join(dataDir, 'settings.json'), 'utf8');
    client.ws.send(JSON.stringify({ id: 's2', method: 'settings.update', params: { locale: 'de' } }));
    expect(await client.next()).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    client.ws.close();
  });

  it('serves the renderer with the security headers and refuses paths outside it', async () => {
    const { host } = await start();
    const page = await fetch(`${host.origin}/settings`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const escape = await fetch(`${host.origin}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain('root:');
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
  });
});
