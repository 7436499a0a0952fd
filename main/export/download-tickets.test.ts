import { describe, expect, it } from 'vitest';
import { createDownloadTickets } from './download-tickets';

describe('download tickets', () => {
  it('open one export, once, for two minutes; anything else opens nothing', () => {
    let now = 0;
    const tickets = createDownloadTickets(() => now);
    const first = tickets.issue('fhir-20261206-101112-ndjson-0a0b0c0d');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tickets.redeem(first)).toBe('fhir-20261206-101112-ndjson-0a0b0c0d');
    expect(tickets.redeem(first)).toBeUndefined();
    const late = tickets.issue('fhir-20261206-101112-ndjson-0a0b0c0d');
    now += 2 * 60_000;
    expect(tickets.redeem(late)).toBeUndefined();
    expect(tickets.redeem('../../etc/passwd')).toBeUndefined();
    expect(tickets.redeem('A'.repeat(43))).toBeUndefined();
  });
});
