import { describe, expect, it } from 'vitest';
import { buildAuditEvent, type AuditEventInput } from '../audit/audit-event';
import { appendEntry, type AuditEntry } from '../audit/hash-chain';
import { findEditAuthor } from './edit-author';

const clock = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-00000-${node}`;
const t0 = Date.parse('2026-03-04T09:00:00.000Z');

async function log(inputs: AuditEventInput[]): Promise<AuditEntry[]> {
  const last = new Map<string, AuditEntry>();
  const out: AuditEntry[] = [];
  for (const input of inputs) {
    const entry = await appendEntry(last.get(input.workstationId), buildAuditEvent(input), input.workstationId);
    last.set(input.workstationId, entry);
    out.push(entry);
  }
  return out;
}

describe('who made a conflicting value', () => {
  it('is the person whose edit of this patient, on the workstation that stamped the value, is nearest in time', async () => {
    const entries = await log([
      { kind: 'patient.update', userId: 'u-neema', role: 'nurse', workstationId: 'ws-a', patientId: 'p-1', recorded: new Date(t0 - 40_000) },
      { kind: 'patient.update', userId: 'u-baraka', role: 'clinician', workstationId: 'ws-a', patientId: 'p-1', recorded: new Date(t0 + 20) },
      // Same time, another workstation, another patient, or only a read: not the author.
      { kind: 'patient.update', userId: 'u-other', role: 'clinician', workstationId: 'ws-b', patientId: 'p-1', recorded: new Date(t0) },
      { kind: 'patient.update', userId: 'u-other', role: 'clinician', workstationId: 'ws-a', patientId: 'p-2', recorded: new Date(t0) },
      { kind: 'patient.read', userId: 'u-other', role: 'clinician', workstationId: 'ws-a', patientId: 'p-1', recorded: new Date(t0 + 5) },
    ]);
    expect(findEditAuthor(entries, 'p-1', clock(t0, 'ws-a'))).toEqual({ userId: 'u-baraka', workstationId: 'ws-a' });
    expect(findEditAuthor(entries, 'p-1', clock(t0 - 40_000, 'ws-a'))).toEqual({ userId: 'u-neema', workstationId: 'ws-a' });
  });

  it('names nobody when no edit entry is near (not synced yet), or the clock value is not one', async () => {
    const entries = await log([{ kind: 'patient.update', userId: 'u-neema', role: 'nurse', workstationId: 'ws-a', patientId: 'p-1', recorded: new Date(t0 - 600_000) }]);
    expect(findEditAuthor(entries, 'p-1', clock(t0, 'ws-a'))).toBeUndefined();
    expect(findEditAuthor(entries, 'p-1', 'garbage')).toBeUndefined();
  });
});
