import type { AuditEvent } from '@medplum/fhirtypes';
import { sha256Hex } from '../crypto/digest';
import { canonicalJson } from '../records/canonical-json';

/**
 * A tamper-evident audit log: each workstation appends to its own chain, and
 * each entry's hash covers its predecessor's hash, so editing, removing or
 * reordering an entry breaks the chain from that point on. A chain per
 * workstation (never interleaved) lets workstations append offline without
 * coordinating and lets the hub merge logs by simple union.
 *
 * What this does not stop: someone able to rewrite the whole store can
 * recompute every hash after their edit. The `head` check in `verifyChain`
 * closes that gap when the latest (seq, hash) is kept somewhere the attacker
 * cannot reach (the hub, a printed receipt, a separate secure store).
 */

export interface AuditEntry {
  /** 1, 2, 3, ... within this workstation's chain. */
  seq: number;
  workstationId: string;
  /** The previous entry's hash; `GENESIS_HASH` for seq 1. */
  prevHash: string;
  /** Lowercase hex SHA-256 of canonicalJson({ seq, workstationId, prevHash, event }). */
  hash: string;
  event: AuditEvent;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash an entry with these fields must carry. */
export function hashEntry(seq: number, workstationId: string, prevHash: string, event: AuditEvent): Promise<string> {
  return sha256Hex(canonicalJson({ seq, workstationId, prevHash, event }));
}

/**
 * The entry following `previous` (or the first one) in `workstationId`'s
 * chain. The event is copied, so a caller changing its object afterwards
 * cannot make the stored entry disagree with its hash.
 */
export async function appendEntry(
  // Only the link fields are read, so a stored `ChainHead` will do as well as the full entry.
  previous: Pick<AuditEntry, 'seq' | 'workstationId' | 'hash'> | undefined,
  event: AuditEvent,
  workstationId: string,
): Promise<AuditEntry> {
  if (previous !== undefined && previous.workstationId !== workstationId) {
    throw new Error('appendEntry: previous entry belongs to another workstation chain');
  }
  const seq = previous === undefined ? 1 : previous.seq + 1;
  const prevHash = previous === undefined ? GENESIS_HASH : previous.hash;
  const copy = structuredClone(event);
  const hash = await hashEntry(seq, workstationId, prevHash, copy);
  return { seq, workstationId, prevHash, hash, event: copy };
}

export type ChainProblem = 'edited' | 'missing' | 'broken-link' | 'truncated' | 'duplicate';

export type ChainVerdict =
  | { ok: true; entries: number; chains: number }
  | { ok: false; workstationId: string; seq: number; problem: ChainProblem };

/** The last entry of a chain as recorded somewhere the log's store cannot rewrite. */
export interface ChainHead {
  workstationId: string;
  seq: number;
  hash: string;
}

/**
 * How many digests run concurrently. WebCrypto digests are asynchronous
 * (off-thread in browsers, libuv pool in Node), so awaiting them one by one
 * is slow; a modest batch keeps them busy without queueing 100k promises.
 */
const HASH_BATCH = 256;

/**
 * Checks every chain in `entries` (any order, any mix of workstations) and
 * reports the first problem: chains in workstation-id order, entries in seq
 * order within a chain. Per entry, in order:
 *
 * - `duplicate`: a second entry with the same seq;
 * - `missing`: a gap in seq (or a chain not starting at 1); `seq` is the first absent one;
 * - `edited`: the entry's hash does not recompute from its content;
 * - `broken-link`: its prevHash is not the previous entry's hash (an entry
 *   edited with its own hash recomputed shows up here, at the next entry).
 *
 * With `head`, that workstation's chain must also end exactly there (see
 * `checkHead`); a head for a workstation with no entries is `truncated` at 1.
 */
export async function verifyChain(entries: AuditEntry[], head?: ChainHead): Promise<ChainVerdict> {
  const chains = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const chain = chains.get(entry.workstationId);
    if (chain === undefined) chains.set(entry.workstationId, [entry]);
    else chain.push(entry);
  }

  const workstationIds = [...chains.keys()].sort();
  for (const workstationId of workstationIds) {
    const chain = (chains.get(workstationId) ?? []).sort((a, b) => a.seq - b.seq);
    const problem = await checkChain(workstationId, chain);
    if (problem !== undefined) return problem;
    if (head?.workstationId === workstationId) {
      const headProblem = checkHead(chain, head);
      if (headProblem !== undefined) return headProblem;
    }
  }
  // A head for a workstation with no entries at all: the whole chain is gone.
  if (head !== undefined && !chains.has(head.workstationId)) {
    const headProblem = checkHead([], head);
    if (headProblem !== undefined) return headProblem;
  }
  return { ok: true, entries: entries.length, chains: chains.size };
}

async function checkChain(workstationId: string, chain: AuditEntry[]): Promise<ChainVerdict | undefined> {
  const fail = (seq: number, problem: ChainProblem): ChainVerdict => ({ ok: false, workstationId, seq, problem });
  const hashBatch = (start: number) => Promise.all(chain.slice(start, start + HASH_BATCH).map(recomputeHash));

  let pending = hashBatch(0);
  for (let start = 0; start < chain.length; start += HASH_BATCH) {
    // Serialise the next batch on this thread while the current batch's
    // digests run off-thread: the two costs overlap instead of adding up.
    const next = start + HASH_BATCH < chain.length ? hashBatch(start + HASH_BATCH) : undefined;
    const hashes = await pending;

    for (let offset = 0; offset < hashes.length; offset++) {
      const index = start + offset;
      const entry = chain[index];
      if (entry === undefined) break;
      const previous = index === 0 ? undefined : chain[index - 1];
      const expectedSeq = previous === undefined ? 1 : previous.seq + 1;

      if (previous !== undefined && entry.seq === previous.seq) return fail(entry.seq, 'duplicate');
      // Not an integer (a corrupted record) cannot sit anywhere in the chain.
      if (!Number.isSafeInteger(entry.seq) || entry.seq < expectedSeq) return fail(expectedSeq, 'edited');
      if (entry.seq > expectedSeq) return fail(expectedSeq, 'missing');
      if (hashes[offset] !== entry.hash) return fail(entry.seq, 'edited');
      if (entry.prevHash !== (previous === undefined ? GENESIS_HASH : previous.hash)) return fail(entry.seq, 'broken-link');
    }
    if (next !== undefined) pending = next;
  }
  return undefined;
}

/**
 * The hash the entry should carry, or undefined when its content cannot be
 * serialised at all (a corrupted record), which then counts as an edit.
 * Never rejects, so a batch left pending after an early return is harmless.
 */
async function recomputeHash(entry: AuditEntry): Promise<string | undefined> {
  try {
    return await hashEntry(entry.seq, entry.workstationId, entry.prevHash, entry.event);
  } catch {
    return undefined;
  }
}

/**
 * The chain (already checked internally consistent) must end exactly at
 * `head`. Too short: the tail was cut off. Same length but another hash at
 * head.seq: the tail was cut and re-forged with recomputed hashes, so the
 * entry at head.seq is not the one the head vouches for (`edited`). Longer:
 * entries were appended after the head was taken, which the head cannot
 * vouch for; reported as `edited` at the first of them, since a forger who
 * removed entries and re-appended more than they removed looks exactly so.
 */
function checkHead(chain: AuditEntry[], head: ChainHead): ChainVerdict | undefined {
  const fail = (seq: number, problem: ChainProblem): ChainVerdict => ({ ok: false, workstationId: head.workstationId, seq, problem });
  const last = chain.at(-1);
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < head.seq) return fail(lastSeq + 1, 'truncated');
  const atHead = chain[head.seq - 1];
  if (head.seq > 0 && atHead?.hash !== head.hash) return fail(head.seq, 'edited');
  if (lastSeq > head.seq) return fail(head.seq + 1, 'edited');
  return undefined;
}
