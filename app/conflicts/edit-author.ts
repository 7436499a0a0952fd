import { auditKindOf, auditPatientIdOf, auditUserIdOf } from '../audit/audit-event';
import type { AuditEntry } from '../audit/hash-chain';
import { decodeHlc } from '../records/hlc';

/** Who made one side of a conflict, and on which workstation. */
export interface EditAuthor {
  userId: string;
  workstationId: string;
}

/** The audit kinds that record an edit of a patient's record. */
const editKinds = new Set(['patient.create', 'patient.update', 'observation.create', 'conflict.resolve']);
/**
 * How far the edit's audit entry may be from the edit's clock value. It is
 * written just after the record, on the same workstation; the clock may run
 * a little ahead (a hybrid clock never goes behind what it saw from others).
 */
const windowMs = 60_000;

/**
 * Names who made a conflicting value: a record stores no author, but each
 * edit's audit entry (replicated like the record) says who, where and when.
 * The entry chosen is the edit of this patient on the workstation that
 * stamped the value's clock, nearest in time; none within a minute, no name.
 */
export function findEditAuthor(entries: readonly AuditEntry[], patientId: string, hlc: string): EditAuthor | undefined {
  let node: string;
  let wallMs: number;
  try {
    ({ node, wallMs } = decodeHlc(hlc));
  } catch {
    return undefined;
  }
  let best: { author: EditAuthor; distance: number } | undefined;
  for (const entry of entries) {
    if (entry.workstationId !== node || auditPatientIdOf(entry.event) !== patientId) continue;
    if (!editKinds.has(auditKindOf(entry.event) ?? '')) continue;
    const userId = auditUserIdOf(entry.event);
    const recorded = Date.parse(entry.event.recorded ?? '');
    if (!userId || !Number.isFinite(recorded)) continue;
    const distance = Math.abs(recorded - wallMs);
    if (distance <= windowMs && (!best || distance < best.distance)) best = { author: { userId, workstationId: node }, distance };
  }
  return best?.author;
}
