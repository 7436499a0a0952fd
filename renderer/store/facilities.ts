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
  /** One entry, as `list` would give it (undefined when absent, withdrawn or not in the directory's form). */
  get(id: string): Promise<DirectoryEntry | undefined>;
}

function readable(doc: { toMutableJSON(): unknown }): DirectoryEntry | undefined {
  const parsed = directoryEntrySchema.safeParse(doc.toMutableJSON());
  return parsed.success && parsed.data.withdrawn !== true ? parsed.data : undefined;
}

export function createFacilityDirectory(db: ClinicDatabase): FacilityDirectory {
  return {
    async list() {
      const docs = await db.facilities.find({ selector: { withdrawn: { $ne: true } } }).exec();
      const entries = docs.flatMap((doc) => readable(doc) ?? []);
      return entries.sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
    },
    async get(id) {
      const doc = await db.facilities.findOne(id).exec();
      return doc ? readable(doc) : undefined;
    },
  };
}
