import { describe, expect, it } from 'vitest';
import { createLogger, type LogField, type Logger } from './logger';

function recording(): { log: Logger; raw: string[]; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const log = createLogger((line) => raw.push(line));
  return { log, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A line without its timestamp, which differs from run to run. */
function withoutTime(line: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...line };
  delete copy.t;
  return copy;
}

describe('createLogger', () => {
  it('writes one JSON line per event: time, level, event, then the fields', () => {
    const { log, raw, lines } = recording();
    log.info('hub.started', { port: 5984, origins: 0 });
    log.warn('ws_refused', { reason: 'origin' });
    log.error('handler_failed', { method: 'settings.update', error: 'TypeError', retry: false, clinic: null });

    expect(raw.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines().map(withoutTime)).toEqual([
      { level: 'info', event: 'hub.started', port: 5984, origins: 0 },
      { level: 'warn', event: 'ws_refused', reason: 'origin' },
      { level: 'error', event: 'handler_failed', method: 'settings.update', error: 'TypeError', retry: false, clinic: null },
    ]);
    expect(Object.keys(lines()[0] ?? {}).slice(0, 3)).toEqual(['t', 'level', 'event']);
    expect(new Date(String(lines()[0]?.t)).toISOString()).toBe(lines()[0]?.t);
  });

  it('takes no free-form message, nested object or Error (a type error, and dropped if cast through)', () => {
    const { log, lines } = recording();
    // @ts-expect-error: a second string would be a message, which could carry whatever a request held.
    log.info('patient_saved', 'Jane Doe, born 1970-01-01');
    // @ts-expect-error: field values are scalars; an object could carry a whole request body.
    log.warn('handler_failed', { params: { name: 'Jane Doe' } });
    // @ts-expect-error: an Error's message is free text built from data.
    log.error('handler_failed', { error: new Error('no patient Jane Doe') });
    log.error('handler_failed', { error: 'TypeError', body: { name: 'Jane Doe' } as unknown as LogField });

    expect(JSON.stringify(lines())).not.toContain('Jane');
    expect(lines().map(withoutTime)).toEqual([
      { level: 'info', event: 'patient_saved' },
      { level: 'warn', event: 'handler_failed' },
      { level: 'error', event: 'handler_failed' },
      { level: 'error', event: 'handler_failed', error: 'TypeError' },
    ]);
  });

  it('logs an event name built from data as log.bad_event, without it or its fields', () => {
    const { log, lines } = recording();
    const name = 'Jane Doe';
    log.info(`opened chart of ${name}`, { id: 'p-1' });
    log.warn('hub.started\n{"level":"error"}');
    log.info('');

    expect(lines().map(withoutTime)).toEqual([
      { level: 'info', event: 'log.bad_event' },
      { level: 'warn', event: 'log.bad_event' },
      { level: 'info', event: 'log.bad_event' },
    ]);
  });

  it('does not let a field overwrite the time, level or event', () => {
    const { log, lines } = recording();
    log.warn('auth.failed', { level: 'info', event: 'hub.started', t: 'yesterday', by: 'ws-1' });

    expect(lines()[0]).toEqual({ t: expect.not.stringMatching('yesterday') as unknown, level: 'warn', event: 'auth.failed', by: 'ws-1' });
  });
});
