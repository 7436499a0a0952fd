import type { z } from 'zod';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import type { LocalState } from './local-state';
import type { Session } from './session';

/**
 * A value this workstation keeps for itself (never replicated) in its local
 * state, sealed with the clinic's data key under its own id, and checked
 * against its schema when read back. One that does not open or is not in its
 * form reads as none: the journals kept this way (an export's, an import's)
 * then start afresh, which loses nothing but a shortcut.
 */
export interface SealedLocalEntry<T> {
  read(local: LocalState, session: Session): Promise<T | undefined>;
  save(local: LocalState, session: Session, value: T): Promise<void>;
  remove(local: LocalState): Promise<void>;
}

/** `what` names the entry in a failure to open it (`The export journal`), never its contents. */
export function sealedLocalEntry<T>(id: string, schema: z.ZodType<T>, what: string): SealedLocalEntry<T> {
  const context = (session: Session) => [id, session.clinicId];
  return {
    async read(local, session) {
      const sealed = await local.get(id);
      if (sealed === undefined) return undefined;
      try {
        return schema.parse(await openPayload(session.dataKey, context(session), sealed, what));
      } catch {
        return undefined;
      }
    },
    async save(local, session, value) {
      await local.put(id, await sealPayload(session.dataKey, context(session), value));
    },
    remove: (local) => local.remove(id),
  };
}
