import { buildAuditEvent, type AuditEventInput } from '../../app/audit/audit-event';
import { filterAudit, type AuditFilter } from '../../app/audit/audit-filter';
import { appendEntry, verifyChain, type AuditEntry, type ChainHead, type ChainVerdict } from '../../app/audit/hash-chain';
import { requirePermission } from '../../app/auth/roles';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import { openRecord, sealRecord } from '../../app/records/sealed-record';
import type { ClinicDatabase } from './database';
import type { LocalState } from './local-state';
import type { Session } from './session';

export type AuditRequest = Omit<AuditEventInput, 'userId' | 'role' | 'workstationId' | 'recorded'>;

const headKey = 'audit-head';
const headContext = (workstationId: string) => ['audit-head', workstationId];
const recordId = (workstationId: string, seq: number) => `audit.${workstationId}.${String(seq).padStart(10, '0')}`;

/**
 * This workstation's hash-chained audit log. Entries are sealed records like
 * any other (who opened which chart is itself sensitive); the chain's head is
 * kept sealed beside it, so deleting the newest entries shows as truncation.
 * Appends are queued so concurrent actions cannot fork the chain.
 */
/** The audit chain of this workstation, and every workstation's entries as they replicate. */
export interface AuditLog {
  /** Appends an entry to this workstation's chain (entries are written one at a time, in order). */
  record(session: Session, request: AuditRequest): Promise<void>;
  list(session: Session, filter?: AuditFilter): Promise<AuditEntry[]>;
  aboutPatients(session: Session, patientIds: readonly string[]): Promise<AuditEntry[]>;
  verify(session: Session): Promise<ChainVerdict>;
}

export function createAuditLog(db: ClinicDatabase, local: LocalState, options: { clock: { tick(): string }; now?: () => number }): AuditLog {
  const now = options.now ?? (() => Date.now());
  let queue: Promise<unknown> = Promise.resolve();

  async function readHead(session: Session): Promise<ChainHead | undefined> {
    const text = await local.get(headKey);
    if (text === undefined) return undefined;
    const head = (await openPayload(session.dataKey, headContext(session.workstationId), text, 'The audit log head')) as ChainHead;
    // A power cut between writing an entry and moving the head leaves the head
    // one behind: move it forward over entries that exist and link.
    let current = head;
    for (;;) {
      const next = await db.records.findOne(recordId(session.workstationId, current.seq + 1)).exec();
      if (!next) return current;
      const entry = (await openRecord(session.dataKey, next.toMutableJSON())) as AuditEntry;
      if (entry.prevHash !== current.hash) return current;
      current = { workstationId: session.workstationId, seq: entry.seq, hash: entry.hash };
    }
  }

  async function append(session: Session, request: AuditRequest): Promise<void> {
    const event = buildAuditEvent({ ...request, userId: session.userId, role: session.role, workstationId: session.workstationId, recorded: new Date(now()) });
    const head = await readHead(session);
    const previous = head && ({ seq: head.seq, hash: head.hash, workstationId: head.workstationId } as AuditEntry);
    const entry = await appendEntry(previous, event, session.workstationId);
    const record = await sealRecord(
      session.dataKey,
      { id: recordId(session.workstationId, entry.seq), type: 'audit', clinicId: session.clinicId, subject: request.patientId ?? '', updatedAt: now(), hlc: options.clock.tick(), deleted: false },
      entry,
    );
    await db.records.insert(record);
    const nextHead: ChainHead = { workstationId: session.workstationId, seq: entry.seq, hash: entry.hash };
    await local.put(headKey, await sealPayload(session.dataKey, headContext(session.workstationId), nextHead));
  }

  async function allEntries(session: Session): Promise<AuditEntry[]> {
    const docs = await db.records.find({ selector: { type: 'audit' } }).exec();
    return Promise.all(docs.map(async (doc) => (await openRecord(session.dataKey, doc.toMutableJSON())) as AuditEntry));
  }

  /** Appends one event for the session's user; resolves once it is stored. */
  function record(session: Session, request: AuditRequest): Promise<void> {
    const next = queue.then(() => append(session, request));
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    record,

    /** Entries matching the filter, newest first. Reading the log is itself audited. */
    async list(session: Session, filter: AuditFilter = {}): Promise<AuditEntry[]> {
      requirePermission(session, 'audit.read');
      await record(session, { kind: 'audit.read' });
      return filterAudit(await allEntries(session), filter);
    },

    /**
     * The entries about these patients (audit records carry the patient as
     * their subject), to name who made each conflicting value. Needs only
     * patient.read: it tells a person who edited records they may read, and
     * the conflicts screen shows no more of the log than that.
     */
    async aboutPatients(session: Session, patientIds: readonly string[]): Promise<AuditEntry[]> {
      requirePermission(session, 'patient.read');
      const entries: AuditEntry[] = [];
      for (const subject of new Set(patientIds)) {
        const docs = await db.records.find({ selector: { type: 'audit', subject } }).exec();
        for (const doc of docs) entries.push((await openRecord(session.dataKey, doc.toMutableJSON())) as AuditEntry);
      }
      return entries;
    },

    /** Checks every chain, and this workstation's against its sealed head. */
    async verify(session: Session): Promise<ChainVerdict> {
      requirePermission(session, 'audit.read');
      const entries = await allEntries(session);
      const head = await readHead(session);
      const own = entries.filter((e) => e.workstationId === session.workstationId);
      // Entries with no head means the head itself was removed: as bad as a cut-off tail.
      if (!head && own.length > 0) return { ok: false, workstationId: session.workstationId, seq: 1, problem: 'truncated' };
      return verifyChain(entries, head);
    },
  };
}
