import { describe, expect, it } from 'vitest';
import { consentInputSchema, currentConsent, odhResearchPolicy, type Consent } from './consent';

const decision = (id: string, status: Consent['status'], recordedAt: string): Consent => ({ id, patientId: 'pat-1', status, policy: odhResearchPolicy, date: recordedAt.slice(0, 10), recordedAt, recordedBy: 'usr-1' });

describe('a patient’s research consent', () => {
  it('is the decision recorded last, whatever order they arrive in', () => {
    const given = decision('c1', 'active', '2026-01-05T09:00:00Z');
    const withdrawn = decision('c2', 'withdrawn', '2026-11-30T10:00:00+03:00');
    expect(currentConsent([withdrawn, given])?.status).toBe('withdrawn');
    expect(currentConsent([given, withdrawn])?.status).toBe('withdrawn');
    expect(currentConsent([])).toBeUndefined();
    // Two recorded at the same instant (two workstations): the same answer everywhere.
    const a = decision('c3', 'declined', '2026-12-01T08:00:00Z');
    const b = decision('c4', 'active', '2026-12-01T08:00:00Z');
    expect(currentConsent([a, b])).toEqual(currentConsent([b, a]));
  });

  it('takes a decision and its day, not a day to come', () => {
    const schema = consentInputSchema('2026-12-06');
    expect(schema.safeParse({ status: 'active', date: '2026-12-06' }).success).toBe(true);
    expect(schema.safeParse({ status: 'active', date: '2026-12-07' }).error?.issues[0]?.message).toBe('consent.invalid.date');
    expect(schema.safeParse({ status: 'maybe', date: '2026-12-01' }).error?.issues[0]?.message).toBe('consent.invalid.status');
    expect(schema.safeParse({ status: 'active', date: '2026-02-30' }).success).toBe(false);
  });
});
