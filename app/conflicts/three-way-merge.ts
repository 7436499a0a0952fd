import { canonicalJson } from '../records/canonical-json';

/**
 * The three-way merge of two edits of one record's decrypted payload, the
 * rule that keeps every edit (ARCHITECTURE.md, sync model):
 *
 *  - a field both sides agree on keeps that value;
 *  - a field only one side changed (compared with the common ancestor, the
 *    version both started from) takes that change;
 *  - a field both changed differently keeps the value of the later edit, by
 *    hybrid logical clock, and the other value is returned as a conflict for
 *    a person to review. With no known ancestor (RxDB passes none when a push
 *    reached the hub but its answer was lost) every difference is such a field.
 *
 * Fields are compared as whole JSON values: a patient's address is one field.
 * A field absent on one side is the value `undefined` (removed), so removing
 * a field and changing it elsewhere is a conflict too, never a silent loss.
 */

export type Payload = Readonly<Record<string, unknown>>;

export interface MergeSide {
  payload: Payload;
  /** The clock value of the edit that produced this version. */
  hlc: string;
}

export interface FieldValue {
  /** `undefined` when the field was removed on that side. */
  value: unknown;
  hlc: string;
}

export interface FieldConflict {
  field: string;
  /** The value the merged record holds (the later edit). */
  kept: FieldValue;
  /** The value it replaced, kept for review. */
  other: FieldValue;
}

export interface MergeResult {
  merged: Record<string, unknown>;
  conflicts: FieldConflict[];
}

export interface MergeOptions {
  /**
   * Fields that record when, not what (a payload's own `updatedAt`): they
   * take the later side's value and are never reported as conflicts.
   */
  bookkeeping?: readonly string[];
}

/** Whole-value equality whatever the key order; `undefined` is a removed field. */
const same = (a: unknown, b: unknown) => (a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b));
const own = (payload: Payload | undefined, field: string): unknown => (payload && Object.hasOwn(payload, field) ? payload[field] : undefined);

export function mergePayloads(base: Payload | undefined, local: MergeSide, remote: MergeSide, options: MergeOptions = {}): MergeResult {
  const bookkeeping = new Set(options.bookkeeping ?? []);
  // Equal clocks only happen for the same edit seen twice; the remote side then wins, as the hub holds it.
  const [later, earlier] = local.hlc > remote.hlc ? [local, remote] : [remote, local];
  const fields = [...new Set([...Object.keys(local.payload), ...Object.keys(remote.payload)])].sort();
  const merged: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [];

  for (const field of fields) {
    const mine = own(local.payload, field);
    const theirs = own(remote.payload, field);
    let value: unknown;
    if (same(mine, theirs)) value = mine;
    else if (base !== undefined && same(own(base, field), mine)) value = theirs;
    else if (base !== undefined && same(own(base, field), theirs)) value = mine;
    else {
      value = own(later.payload, field);
      if (!bookkeeping.has(field)) {
        conflicts.push({ field, kept: { value, hlc: later.hlc }, other: { value: own(earlier.payload, field), hlc: earlier.hlc } });
      }
    }
    if (value !== undefined) merged[field] = value;
  }
  return { merged, conflicts };
}
