import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBQueryBuilderPlugin } from 'rxdb/plugins/query-builder';
import type { SealedRecord } from '../../app/records/sealed-record';
import type { StaffAccount } from '../../app/auth/staff-account';
import type { LocalEntry } from './documents';
import { createStaffConflictHandler, createRecordsConflictHandler, type ConflictDesk } from '../../sync/client/conflict-handlers';
import { localSchema, recordsSchema, staffSchema } from './schemas/0001-initial';
import { facilitiesSchema } from './schemas/0002-facilities';
import type { DirectoryEntry } from '../../app/facilities/directory-entry';

addRxPlugin(RxDBQueryBuilderPlugin);

export interface ClinicCollections {
  records: RxCollection<SealedRecord>;
  staff: RxCollection<StaffAccount>;
  local: RxCollection<LocalEntry>;
  facilities: RxCollection<DirectoryEntry>;
}
export type ClinicDatabase = RxDatabase<ClinicCollections>;

/**
 * Four collections, well under RxDB's free limit of 13: one for every sealed
 * clinical record (its clear `type` and `subject` are indexed), one for staff
 * accounts, one for this workstation's own state, and the hub's shared
 * facility directory (pulled only, so it needs no conflict handler).
 */
export async function openClinicDatabase(storage: RxStorage<unknown, unknown>, name = 'clinic'): Promise<ClinicDatabase> {
  const db = await createRxDatabase<ClinicCollections>({ name, storage, eventReduce: true });
  const slot: { desk?: ConflictDesk } = {};
  await db.addCollections({
    // Replication asks these when the hub holds another version; RxDB's default would drop the local edit.
    records: { schema: recordsSchema, conflictHandler: createRecordsConflictHandler(() => slot.desk) },
    staff: { schema: staffSchema, conflictHandler: createStaffConflictHandler<StaffAccount>(() => slot.desk) },
    local: { schema: localSchema },
    facilities: { schema: facilitiesSchema },
  });
  desks.set(db, slot);
  return db;
}

/** The handler exists before the store that resolves conflicts does; the store attaches itself here. */
const desks = new WeakMap<ClinicDatabase, { desk?: ConflictDesk }>();

export function attachConflictDesk(db: ClinicDatabase, desk: ConflictDesk): void {
  const slot = desks.get(db);
  if (!slot) throw new Error('not a clinic database');
  slot.desk = desk;
}
