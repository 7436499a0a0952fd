import { getChangedDocumentsSince, getComposedPrimaryKeyOfDocumentData, getHeightOfRevision } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/**
 * How many local edits have not reached the hub yet: the documents written
 * since the push checkpoint that did not themselves come from the hub (RxDB
 * marks a pulled version by storing its revision height under the
 * replication's identifier in `_meta`). Read from RxDB's replication state,
 * never written. Counting stops at `cap`, shown as "cap or more".
 */
export async function countPendingPushes<T, C>(replication: RxReplicationState<T, C>, cap = 10_000): Promise<number> {
  const state = replication.internalReplicationState;
  const collection = replication.collection;
  if (!state) return 0;
  const checkpointId = getComposedPrimaryKeyOfDocumentData(state.input.metaInstance.schema, { isCheckpoint: '1', itemId: 'up' });
  const [checkpointDoc] = await state.input.metaInstance.findDocumentsById([checkpointId], false);
  const { documents } = await getChangedDocumentsSince(collection.storageInstance, cap, checkpointDoc?.checkpointData);
  const identifier = state.input.identifier;
  return documents.filter((doc) => getHeightOfRevision(doc._rev) !== doc._meta[identifier]).length;
}
