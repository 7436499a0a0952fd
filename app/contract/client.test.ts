import { describe, expect, it } from 'vitest';
import { createApiClient, unreadableEventMessage, type ClientDeviceEvent, type Transport } from './client';
import type { RequestEnvelope } from './envelope';
import { ApiError } from './errors';

/** A transport that answers each request with what the test gives it. */
const answering = (answer: (request: RequestEnvelope) => unknown): Transport => ({
  kind: 'websocket',
  send: (request) => Promise.resolve(answer(request)),
  onEvent: () => () => undefined,
});

describe('typed API client', () => {
  it('returns the validated result of a call', async () => {
    const client = createApiClient(answering((r) => ({ id: r.id, ok: true, result: { nonce: 'n', receivedAt: new Date().toISOString() } })));
    await expect(client.call('system.ping', { nonce: 'n' })).resolves.toMatchObject({ nonce: 'n' });
  });

  it('throws the typed error the host sent', async () => {
    const client = createApiClient(answering((r) => ({ id: r.id, ok: false, error: { code: 'rate_limited', message: 'slow down' } })));
    await expect(client.call('system.ping', { nonce: 'n' })).rejects.toMatchObject({ name: 'ApiError', code: 'rate_limited' });
  });

  it.each([
    ['an answer to another request', (r: RequestEnvelope) => ({ id: `${r.id}-other`, ok: true, result: {} })],
    ['a result off the contract', (r: RequestEnvelope) => ({ id: r.id, ok: true, result: { nonce: 5 } })],
    ['something that is not an envelope', () => 'hello'],
    ['an unknown error code', (r: RequestEnvelope) => ({ id: r.id, ok: false, error: { code: 'teapot', message: '' } })],
  ])('refuses %s as an internal error instead of trusting it', async (_label, answer) => {
    const client = createApiClient(answering(answer));
    const error = await client.call('system.ping', { nonce: 'n' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('internal');
  });
});

describe('device events on arrival', () => {
  /** A transport whose events the test pushes; returns what the client's listener heard. */
  function listen() {
    let push: (envelope: unknown) => void = () => undefined;
    const transport: Transport = {
      kind: 'ipc',
      send: () => Promise.reject(new Error('no calls here')),
      onEvent: (listener) => {
        push = listener;
        return () => undefined;
      },
    };
    const heard: ClientDeviceEvent[] = [];
    createApiClient(transport).subscribe((event) => heard.push(event));
    return { heard, push: (envelope: unknown) => push(envelope) };
  }
  const ended = { event: 'session.ended', sessionId: 'session-1', deviceId: 'hid:x', reason: 'completed', message: 'The device finished sending.' };

  it('passes an event on the contract as it is', () => {
    const { heard, push } = listen();
    push({ type: 'event', payload: ended });
    expect(heard).toEqual([ended]);
  });

  it('reports an off-contract event in plain words, with its session, and none of its content', () => {
    const { heard, push } = listen();
    const reading = { type: 'reading', reading: { kind: 'glucoseMass', code: '41653-7', value: 118, unit: 'mg/dL', raw: 'zz' } };
    push({ type: 'event', payload: { event: 'session.items', sessionId: 'session-1', deviceId: 'hid:x', identity: { driver: 'freestyle', manufacturer: 'Abbott', model: 'Neo' }, items: [reading], receivedAt: new Date().toISOString() } });
    push({ type: 'event', payload: { event: 'devices.changed', devices: 'all of them' } });
    push('not even an envelope');
    expect(heard).toEqual([
      { event: 'unreadable', sessionId: 'session-1', message: unreadableEventMessage },
      { event: 'unreadable', message: unreadableEventMessage },
      { event: 'unreadable', message: unreadableEventMessage },
    ]);
    expect(unreadableEventMessage).toMatch(/could not be read.*readings may be incomplete.*Download again/);
  });
});
