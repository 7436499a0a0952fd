import { directoryEntrySchema, type DirectoryEntry } from '../../app/facilities/directory-entry';
import type { ClinicDatabase } from './database';

/**
 * The hub's shared facility directory as this workstation last pulled it
 * (the `facilities` collection: clear, written only by the hub operator).
 * Any staff member may read it once unlocked; withdrawn entries are left out,
 * and an entry not in the directory's form is skipped rather than shown wrong.
 */
export interface FacilityDirectory {
  list(): Promise<DirectoryEntry[]>;
}

export function createFacilityDirectory(db: ClinicDatabase): FacilityDirectory {
  return {
    async list() {
      const docs = await db.facilities.find({ selector: { withdrawn: { $ne: true } } }).exec();
      const entries = docs.flatMap((doc) => {
        const parsed = directoryEntrySchema.safeParse(doc.toMutableJSON());
        return parsed.success ? [parsed.data] : [];
      });
      return entries.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
    },
  };
}
