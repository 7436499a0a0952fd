import { auditKindNames, auditKindOf, auditOutcomeOf, auditPatientIdOf, auditUserIdOf, type AuditKind, type AuditOutcome } from './audit-event';
import type { AuditEntry } from './hash-chain';

/** The administrator's audit-log filter; every field narrows, none set means all. */
export interface AuditFilter {
  /** Subtype codes (`AuditKind`s); an empty list matches nothing, as the UI's "no kind ticked" means. */
  kinds?: string[];
  userId?: string;
  patientId?: string;
  /** Inclusive. */
  from?: Date;
  /** Inclusive, so a "to" day picker can pass the day's last millisecond. */
  to?: Date;
  outcome?: AuditOutcome;
}

/**
 * The entries matching `filter`, newest first. Ties in `recorded` (two
 * workstations in the same millisecond, or one writing fast) are broken by
 * workstation then seq, newest seq first, so the list never reshuffles
 * between refreshes.
 */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const kinds = filter.kinds === undefined ? undefined : new Set(filter.kinds);
  const from = filter.from?.getTime();
  const to = filter.to?.getTime();

  const matches: { entry: AuditEntry; time: number }[] = [];
  for (const entry of entries) {
    const { event } = entry;
    const time = Date.parse(event.recorded);
    if (kinds !== undefined) {
      const kind = auditKindOf(event);
      if (kind === undefined || !kinds.has(kind)) continue;
    }
    if (filter.userId !== undefined && auditUserIdOf(event) !== filter.userId) continue;
    if (filter.patientId !== undefined && auditPatientIdOf(event) !== filter.patientId) continue;
    // An unparseable time fails both comparisons, so a date filter drops it.
    if (from !== undefined && !(time >= from)) continue;
    if (to !== undefined && !(time <= to)) continue;
    if (filter.outcome !== undefined && auditOutcomeOf(event) !== filter.outcome) continue;
    matches.push({ entry, time });
  }

  matches.sort(
    (a, b) =>
      // NaN (unparseable) sorts last rather than poisoning the comparison.
      (Number.isNaN(b.time) ? -Infinity : b.time) - (Number.isNaN(a.time) ? -Infinity : a.time) ||
      compareText(a.entry.workstationId, b.entry.workstationId) ||
      b.entry.seq - a.entry.seq,
  );
  return matches.map((match) => match.entry);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The kinds that occur in `entries`, in the catalogue's order: the filter
 * offers only actions the log holds (a choice that can only show "no
 * entries" is noise).
 */
export function auditKindsIn(entries: readonly AuditEntry[]): AuditKind[] {
  const present = new Set<string>();
  for (const entry of entries) {
    const kind = auditKindOf(entry.event);
    if (kind) present.add(kind);
  }
  return auditKindNames.filter((kind) => present.has(kind));
}
