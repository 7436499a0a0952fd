import { describe, expect, it } from 'vitest';
import { createApiClient, type ClientDeviceEvent, type Transport } from './client';
import { unreadableDeviceEventMessage } from './device-events';
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
  /** A transport whose events the test pushes; returns what the client's `devices` listener heard. */
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
    createApiClient(transport).on('devices', (event) => heard.push(event));
    return { heard, push: (envelope: unknown) => push(envelope) };
  }
  const ended = { event: 'run.ended', runId: 'run-1', deviceId: 'hid:x', reason: 'completed', message: 'The device finished sending.' };

  it('passes an event of its topic on the contract as it is', () => {
    const { heard, push } = listen();
    push({ type: 'event', topic: 'devices', payload: ended });
    expect(heard).toEqual([ended]);
  });

  it('reports an off-contract event in plain words, with its reading run, and none of its content', () => {
    const { heard, push } = listen();
    const reading = { type: 'reading', reading: { kind: 'glucoseMass', code: '41653-7', value: 118, unit: 'mg/dL', raw: 'zz' } };
    push({ type: 'event', topic: 'devices', payload: { event: 'run.items', runId: 'run-1', deviceId: 'hid:x', identity: { driver: 'freestyle', manufacturer: 'Abbott', model: 'Neo' }, items: [reading], receivedAt: new Date().toISOString() } });
    push({ type: 'event', topic: 'devices', payload: { event: 'devices.changed', devices: 'all of them' } });
    push('not even an envelope');
    expect(heard).toEqual([
      { event: 'unreadable', runId: 'run-1', message: unreadableDeviceEventMessage },
      { event: 'unreadable', message: unreadableDeviceEventMessage },
      { event: 'unreadable', message: unreadableDeviceEventMessage },
    ]);
    expect(unreadableDeviceEventMessage).toMatch(/could not be read.*readings may be incomplete.*Download again/);
  });

  // The payload is checked against the schema of the topic the envelope names,
  // so a valid device payload under no topic, or a topic this client does not
  // know, is not trusted; it may still have been meant for this listener, so
  // it is reported rather than dropped.
  it.each([
    ['no topic (the old envelope)', { type: 'event', payload: ended }],
    ['a topic the contract does not declare', { type: 'event', topic: 'export', payload: ended }],
    ['an extra field beside the topic', { type: 'event', topic: 'devices', payload: ended, extra: 1 }],
  ])('reports an event with %s as unreadable, naming its run, rather than trusting it', (_label, envelope) => {
    const { heard, push } = listen();
    push(envelope);
    expect(heard).toEqual([{ event: 'unreadable', runId: 'run-1', message: unreadableDeviceEventMessage }]);
  });
});
