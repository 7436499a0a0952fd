import { beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent, type AuditEventInput } from './audit-event';
import { auditKindsIn, filterAudit } from './audit-filter';
import { appendEntry, type AuditEntry } from './hash-chain';

const at = (time: string) => new Date(`2025-03-04T${time}:00.000Z`);

/** [workstation, input] in append order per workstation. */
const log: [string, Omit<AuditEventInput, 'workstationId'>][] = [
  ['ws-A', { kind: 'user.login', userId: 'u-1', role: 'nurse', recorded: at('08:00') }],
  ['ws-A', { kind: 'patient.create', userId: 'u-1', role: 'nurse', recorded: at('08:05'), patientId: 'p-1' }],
  ['ws-B', { kind: 'user.login-failed', userId: 'u-2', role: 'clinician', recorded: at('08:06'), outcome: 'minor-failure' }],
  ['ws-B', { kind: 'patient.read', userId: 'u-2', role: 'clinician', recorded: at('09:00'), patientId: 'p-1' }],
  ['ws-A', { kind: 'patient.read', userId: 'u-1', role: 'nurse', recorded: at('09:00'), patientId: 'p-2' }],
  ['ws-B', { kind: 'patient.update', userId: 'u-2', role: 'clinician', recorded: at('09:30'), patientId: 'p-1', outcome: 'serious-failure' }],
  ['ws-A', { kind: 'export.fhir', userId: 'u-3', role: 'admin', recorded: at('10:00') }],
  ['ws-A', { kind: 'audit.read', userId: 'u-3', role: 'admin', recorded: at('10:00') }],
];

let entries: AuditEntry[];
/** "ws-A#2" style labels, to read expectations at a glance. */
const labels = (list: AuditEntry[]) => list.map((e) => `${e.workstationId}#${e.seq}`);

beforeAll(async () => {
  const last = new Map<string, AuditEntry>();
  entries = [];
  for (const [workstationId, input] of log) {
    const entry = await appendEntry(last.get(workstationId), buildAuditEvent({ ...input, workstationId }), workstationId);
    last.set(workstationId, entry);
    entries.push(entry);
  }
});

describe('filterAudit', () => {
  it('returns everything newest first with no filter, ties in a stable order', () => {
    expect(labels(filterAudit(entries, {}))).toEqual(['ws-A#5', 'ws-A#4', 'ws-B#3', 'ws-A#3', 'ws-B#2', 'ws-B#1', 'ws-A#2', 'ws-A#1']);
    expect(labels(filterAudit([...entries].reverse(), {}))).toEqual(labels(filterAudit(entries, {})));
  });

  it('filters by kind', () => {
    expect(labels(filterAudit(entries, { kinds: ['patient.read', 'patient.update'] }))).toEqual(['ws-B#3', 'ws-A#3', 'ws-B#2']);
    expect(filterAudit(entries, { kinds: [] })).toEqual([]);
  });

  it('filters by user and by patient', () => {
    expect(labels(filterAudit(entries, { userId: 'u-1' }))).toEqual(['ws-A#3', 'ws-A#2', 'ws-A#1']);
    expect(labels(filterAudit(entries, { patientId: 'p-1' }))).toEqual(['ws-B#3', 'ws-B#2', 'ws-A#2']);
    expect(labels(filterAudit(entries, { userId: 'u-2', patientId: 'p-1' }))).toEqual(['ws-B#3', 'ws-B#2']);
  });

  it('filters by time, both ends inclusive', () => {
    expect(labels(filterAudit(entries, { from: at('09:00'), to: at('09:30') }))).toEqual(['ws-B#3', 'ws-A#3', 'ws-B#2']);
    expect(labels(filterAudit(entries, { to: at('08:05') }))).toEqual(['ws-A#2', 'ws-A#1']);
  });

  it('filters by outcome', () => {
    expect(labels(filterAudit(entries, { outcome: 'minor-failure' }))).toEqual(['ws-B#1']);
    expect(labels(filterAudit(entries, { outcome: 'serious-failure' }))).toEqual(['ws-B#3']);
    expect(filterAudit(entries, { outcome: 'success' })).toHaveLength(6);
  });

  it('does not change the list it was given', () => {
    const before = labels(entries);
    filterAudit(entries, {});
    expect(labels(entries)).toEqual(before);
  });
});

describe('auditKindsIn', () => {
  it('lists the kinds the log holds, each once, in the catalogue’s order', () => {
    expect(auditKindsIn(entries)).toEqual(['patient.create', 'patient.read', 'patient.update', 'audit.read', 'user.login', 'user.login-failed', 'export.fhir']);
    expect(auditKindsIn([])).toEqual([]);
  });
});
