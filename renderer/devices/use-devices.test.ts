import { describe, expect, it } from 'vitest';
import { unreadableEventMessage } from '../../app/contract/client';
import { reduceDevices } from './use-devices';

describe('capture screen state from device events', () => {
  const started = reduceDevices({ devices: [], sessions: {} }, { type: 'started', sessionId: 'session-1', deviceId: 'hid:x' });

  it('puts an unreadable event of a known session on that session, in plain words', () => {
    const next = reduceDevices(started, { type: 'event', event: { event: 'unreadable', sessionId: 'session-1', message: unreadableEventMessage } });
    expect(next.sessions['session-1']).toMatchObject({ unreadable: unreadableEventMessage, readings: [] });
    expect(next.unreadable).toBeUndefined();
  });

  it('shows an unreadable event that names no known session above the device list', () => {
    for (const sessionId of [undefined, 'session-9']) {
      const next = reduceDevices(started, { type: 'event', event: { event: 'unreadable', sessionId, message: unreadableEventMessage } });
      expect(next.unreadable).toBe(unreadableEventMessage);
      expect(next.sessions['session-1']?.unreadable).toBeUndefined();
    }
  });
});
