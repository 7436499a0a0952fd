import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBQueryBuilderPlugin } from 'rxdb/plugins/query-builder';
import type { SealedRecord } from '../../app/records/sealed-record';
import type { LocalEntry, StaffAccount } from './documents';
import { localSchema, recordsSchema, staffSchema } from './schemas/0001-initial';

addRxPlugin(RxDBQueryBuilderPlugin);

export interface ClinicCollections {
  records: RxCollection<SealedRecord>;
  staff: RxCollection<StaffAccount>;
  local: RxCollection<LocalEntry>;
}
export type ClinicDatabase = RxDatabase<ClinicCollections>;

/**
 * Three collections, well under RxDB's free limit of 13: one for every sealed
 * clinical record (its clear `type` and `subject` are indexed), one for staff
 * accounts, one for this workstation's own state.
 */
export async function openClinicDatabase(storage: RxStorage<unknown, unknown>, name = 'clinic'): Promise<ClinicDatabase> {
  const db = await createRxDatabase<ClinicCollections>({ name, storage, eventReduce: true });
  await db.addCollections({
    records: { schema: recordsSchema },
    staff: { schema: staffSchema },
    local: { schema: localSchema },
  });
  return db;
}
