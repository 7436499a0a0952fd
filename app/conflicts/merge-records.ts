import { patientSchema } from '../patients/patient';
import { canonicalJson } from '../records/canonical-json';
import { openRecord, sealRecord, type SealedRecord } from '../records/sealed-record';
import { conflictRecordId, deletionField, type ConflictPayload } from './conflict-record';
import { mergePayloads, type FieldConflict, type MergeResult, type MergeSide, type Payload } from './three-way-merge';

/**
 * Two edits of one sealed record, merged into one sealed record plus a sealed
 * conflict record for each field both sides changed. Needs the data key: it is
 * what the sync client's conflict handler runs while the workstation is
 * unlocked (while locked, it parks the edit whole; see sync/client).
 */

export interface RecordMergeInput {
  dataKey: CryptoKey;
  /** The version both edits started from; absent when RxDB does not know it. */
  base: SealedRecord | undefined;
  local: SealedRecord;
  remote: SealedRecord;
  /** A fresh clock value, later than both sides' (the merge is a new edit). */
  hlc: string;
  now: number;
}

export interface RecordMergeResult {
  /** What both sides hold afterwards. It is `remote` itself when the merge changes nothing there. */
  record: SealedRecord;
  conflicts: SealedRecord[];
}

/** Payload fields that say when, not what. */
const bookkeeping = ['updatedAt'];

/** Only patients and readings are edited by people; other types are written once by one workstation. */
const mergeable = (type: SealedRecord['type']): type is 'patient' | 'observation' => type === 'patient' || type === 'observation';

/** Whether a merged payload is still a valid record of its type (two valid edits can combine into an invalid one, e.g. a birth date and an estimated age). */
const stillValid = (type: 'patient' | 'observation', payload: Payload) => type !== 'patient' || patientSchema.safeParse(payload).success;

function asPayload(value: unknown, deleted: boolean): Payload {
  const fields = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : { value };
  return { ...fields, [deletionField]: deleted };
}

async function openSide(dataKey: CryptoKey, record: SealedRecord): Promise<Payload> {
  return asPayload(await openRecord(dataKey, record), record.deleted);
}

export async function mergeRecords(input: RecordMergeInput): Promise<RecordMergeResult> {
  const { dataKey, local, remote } = input;
  const type = remote.type;
  if (!mergeable(type) || local.type !== type) {
    // Written by one workstation only (audit entries, conflict records): the later edit is the record.
    return { record: local.hlc > remote.hlc ? local : remote, conflicts: [] };
  }
  const mine = { payload: await openSide(dataKey, local), hlc: local.hlc };
  const theirs = { payload: await openSide(dataKey, remote), hlc: remote.hlc };
  // An ancestor that does not open (damaged) is no ancestor: every difference then becomes a reviewed conflict.
  const base = input.base ? await openSide(dataKey, input.base).catch(() => undefined) : undefined;

  let result = mergePayloads(base, mine, theirs, { bookkeeping });
  // Field by field could not make a valid record: compare the two whole, so every difference is reviewed.
  if (!stillValid(type, withoutDeletion(result.merged))) result = mergePayloads(undefined, mine, theirs, { bookkeeping });

  result = keepEditedOverDeleted(result, base, mine, theirs);

  const conflicts = await Promise.all(result.conflicts.map((conflict) => sealConflict(input, type, conflict)));
  if (result.conflicts.length === 0 && canonicalJson(result.merged) === canonicalJson(theirs.payload)) return { record: remote, conflicts };
  const record = await sealRecord(
    dataKey,
    { id: remote.id, type, clinicId: remote.clinicId, subject: remote.subject, updatedAt: input.now, hlc: input.hlc, deleted: result.merged[deletionField] === true },
    withoutDeletion(result.merged),
  );
  return { record, conflicts };
}

/**
 * One side deleted the record while the other edited it: the field-wise merge
 * would hide that edit inside a deleted record. The record stays, and the
 * deletion is what a person reviews.
 */
function keepEditedOverDeleted(result: MergeResult, base: Payload | undefined, mine: MergeSide, theirs: MergeSide): MergeResult {
  if (result.merged[deletionField] !== true) return result;
  const living = [mine, theirs].find((side) => side.payload[deletionField] !== true);
  const deleting = [mine, theirs].find((side) => side.payload[deletionField] === true);
  if (!living || !deleting || canonicalJson(withoutBookkeeping(living.payload)) === canonicalJson(withoutBookkeeping(base ?? {}))) return result;
  return {
    merged: { ...result.merged, [deletionField]: false },
    conflicts: [
      ...result.conflicts.filter((conflict) => conflict.field !== deletionField),
      { field: deletionField, kept: { value: false, hlc: living.hlc }, other: { value: true, hlc: deleting.hlc } },
    ],
  };
}

const withoutBookkeeping = (payload: Payload): Payload => Object.fromEntries(Object.entries(payload).filter(([field]) => !bookkeeping.includes(field) && field !== deletionField));

const withoutDeletion = (payload: Payload): Payload => Object.fromEntries(Object.entries(payload).filter(([field]) => field !== deletionField));

async function sealConflict(input: RecordMergeInput, recordType: 'patient' | 'observation', conflict: FieldConflict): Promise<SealedRecord> {
  const payload: ConflictPayload = {
    recordId: input.remote.id,
    recordType,
    field: conflict.field,
    // null: the field was empty on that side.
    kept: { value: conflict.kept.value ?? null, hlc: conflict.kept.hlc },
    other: { value: conflict.other.value ?? null, hlc: conflict.other.hlc },
    detectedAt: new Date(input.now).toISOString(),
    resolution: null,
  };
  const id = await conflictRecordId(input.remote.id, conflict);
  return sealRecord(
    input.dataKey,
    { id, type: 'conflict', clinicId: input.remote.clinicId, subject: input.remote.subject, updatedAt: input.now, hlc: input.hlc, deleted: false },
    payload,
  );
}
