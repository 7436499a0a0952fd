import { getChangedDocumentsSince, getComposedPrimaryKeyOfDocumentData, type WithDeleted } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/**
 * How many local edits have not reached the hub yet. Candidates are the
 * documents written since the push checkpoint (a cheap bound, which can lag
 * behind); each counts only if it differs from the version RxDB last knew the
 * hub to hold (its replication meta data). Read from RxDB's replication
 * state, never written. Counting stops at `cap`, shown as "cap or more".
 * `bookkeeping` picks the documents nobody would call a change they made
 * (audit entries), counted apart so the frame can leave them out.
 */
export interface PendingCount {
  all: number;
  bookkeeping: number;
}

export async function countPendingPushes<T, C>(replication: RxReplicationState<T, C>, cap = 10_000, bookkeeping: (doc: Readonly<Record<string, unknown>>) => boolean = () => false): Promise<PendingCount> {
  const state = replication.internalReplicationState;
  if (!state) return { all: 0, bookkeeping: 0 };
  const meta = state.input.metaInstance;
  const metaId = (itemId: string, isCheckpoint: '0' | '1') => getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint, itemId });
  const [checkpointDoc] = await meta.findDocumentsById([metaId('up', '1')], false);
  const { documents } = await getChangedDocumentsSince(replication.collection.storageInstance, cap, checkpointDoc?.checkpointData);
  if (documents.length === 0) return { all: 0, bookkeeping: 0 };

  const primaryPath = replication.collection.schema.primaryPath;
  const ids = documents.map((doc) => String(doc[primaryPath]));
  const known = new Map((await meta.findDocumentsById(ids.map((id) => metaId(id, '0')), false)).map((row) => [row.itemId, row.docData as WithDeleted<T>]));
  const isEqual = replication.collection.conflictHandler.isEqual;
  const waiting = documents.filter((doc, i) => {
    const onHub = known.get(ids[i]!);
    return !onHub || !isEqual(onHub, asDocState<T>(doc), 'pending-count');
  });
  return { all: waiting.length, bookkeeping: waiting.filter((doc) => bookkeeping(doc)).length };
}

/** The document as replication compares it: without the storage's own bookkeeping. */
function asDocState<T>(doc: Readonly<Record<string, unknown>>): WithDeleted<T> {
  const state: Record<string, unknown> = { ...doc };
  delete state._meta;
  delete state._rev;
  delete state._attachments;
  return state as WithDeleted<T>;
}
