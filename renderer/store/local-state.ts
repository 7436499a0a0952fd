import type { ClinicDatabase } from './database';

/** This workstation's own small documents (never replicated), stored as text. */
export interface LocalState {
  get(id: string): Promise<string | undefined>;
  put(id: string, value: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export function createLocalState(db: ClinicDatabase): LocalState {
  return {
    async get(id: string): Promise<string | undefined> {
      return (await db.local.findOne(id).exec())?.value;
    },
    async put(id: string, value: string): Promise<void> {
      await db.local.upsert({ id, value });
    },
    async remove(id: string): Promise<void> {
      await (await db.local.findOne(id).exec())?.remove();
    },
  };
}
