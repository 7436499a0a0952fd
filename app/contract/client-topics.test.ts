import { describe, expect, it, vi } from 'vitest';
import { createApiClient, type Transport } from './client';
import { unreadableDeviceEventMessage } from './device-events';

// The contract as it will be once export progress is added: one more entry in
// `events`, nothing else. The client must route and validate it by topic with
// no change of its own.
const { exportUnreadable } = vi.hoisted(() => ({ exportUnreadable: 'A message about the export could not be read; check the export file before using it.' }));
vi.mock('./api', async (importOriginal) => {
  const original = await importOriginal<typeof import('./api')>();
  const { z } = await import('zod');
  const events = {
    ...original.events,
    export: { payload: z.discriminatedUnion('event', [z.object({ event: z.literal('export.progress'), done: z.number().int(), of: z.number().int() }).strict()]), unreadable: exportUnreadable },
  };
  return { ...original, events, isEventTopic: (name: string) => Object.prototype.hasOwnProperty.call(events, name) };
});

/** A transport whose events the test pushes; returns what each topic's listener heard. */
function listen() {
  const listeners = new Set<(envelope: unknown) => void>();
  const transport: Transport = {
    kind: 'websocket',
    send: () => Promise.reject(new Error('no calls here')),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const push = (envelope: unknown) => listeners.forEach((l) => l(envelope));
  const client = createApiClient(transport);
  const heard = { devices: [] as unknown[], export: [] as unknown[] };
  // `export` is not in the real contract's types yet, so the test calls `on` by name.
  const on = (topic: string, listener: (event: unknown) => void) => client.on(topic as 'devices', listener);
  const stops = { devices: on('devices', (e) => heard.devices.push(e)), export: on('export', (e) => heard.export.push(e)) };
  return { heard, push, stops };
}

const progress = { event: 'export.progress', done: 40, of: 100 };
const ended = { event: 'run.ended', runId: 'run-1', deviceId: 'hid:x', reason: 'completed', message: 'The device finished sending.' };

describe('events by topic', () => {
  it('gives each topic’s listener only its own events, each checked against its own topic’s schema', () => {
    const { heard, push } = listen();
    push({ type: 'event', topic: 'export', payload: progress });
    push({ type: 'event', topic: 'devices', payload: ended });
    expect(heard.export).toEqual([progress]);
    expect(heard.devices).toEqual([ended]);
  });

  it('reports a broken event only to its own topic, in that topic’s words', () => {
    const { heard, push } = listen();
    // A device payload under the export topic breaks the export schema.
    push({ type: 'event', topic: 'export', payload: ended });
    push({ type: 'event', topic: 'devices', payload: progress });
    expect(heard.export).toEqual([{ event: 'unreadable', runId: 'run-1', message: exportUnreadable }]);
    expect(heard.devices).toEqual([{ event: 'unreadable', message: unreadableDeviceEventMessage }]);
  });

  it('reports an event that names no known topic to every topic, since it may have been meant for any', () => {
    const { heard, push } = listen();
    push({ type: 'event', topic: 'import', payload: progress });
    push({ type: 'event', payload: ended });
    expect(heard.export).toEqual([
      { event: 'unreadable', message: exportUnreadable },
      { event: 'unreadable', runId: 'run-1', message: exportUnreadable },
    ]);
    expect(heard.devices).toEqual([
      { event: 'unreadable', message: unreadableDeviceEventMessage },
      { event: 'unreadable', runId: 'run-1', message: unreadableDeviceEventMessage },
    ]);
  });

  it('stops a listener when asked, leaving the other topic’s listener in place', () => {
    const { heard, push, stops } = listen();
    stops.devices();
    push({ type: 'event', topic: 'devices', payload: ended });
    push({ type: 'event', topic: 'export', payload: progress });
    expect(heard.devices).toEqual([]);
    expect(heard.export).toEqual([progress]);
  });
});
