import { z } from 'zod';

const count = z.number().int().nonnegative();
const progress = <K extends string>(done: K) => z.object({ [done]: count, expected: count } as Record<K | 'expected', typeof count>).strict();

/**
 * What the frame shows of the clinic's sync with its hub. Made by the sync
 * client in the data worker, validated where the UI receives it.
 */
export const syncStatusSchema = z
  .object({
    /** connecting: no answer yet; online: the hub answers; offline: no link; refused: the hub does not accept this workstation. */
    connection: z.enum(['connecting', 'online', 'offline', 'refused']),
    /** Documents are moving right now. */
    active: z.boolean(),
    /** When everything was last in step with the hub (ms since the epoch), across restarts. */
    lastSyncedAt: count.nullable(),
    /** Local edits not on the hub yet (documents: one patient edited twice is one). */
    pending: count,
    /**
     * Of `pending`, the audit entries: the workstation writes them itself as
     * people work (a chart opened, a login), so they are not changes anyone
     * would recognise; the frame counts `pending - pendingAudit`.
     */
    pendingAudit: count,
    /** The latest problem in plain words, until the next success. */
    problem: z.string().max(2000).nullable(),
    /** While the first pull of a clinic's data runs. */
    initialPull: progress('received').nullable(),
    /** While a backlog of local edits goes to the hub (after time offline, say): how many of those last counted have gone. */
    sending: progress('sent').nullable(),
    /**
     * Documents the hub refused to store since sync started (sync/client/hub-fetch.ts
     * `withoutRefused`): they stay on this workstation, and a person should
     * know, since the other workstations will not see them.
     */
    refusedByHub: count,
    /**
     * Documents from the hub left out since sync started because they are not
     * in a form this workstation stores (hub-fetch.ts `withoutUnacceptable`):
     * the hub holds something it should not, and a person should know.
     */
    unacceptableFromHub: count,
  })
  .strict();
export type SyncStatus = z.infer<typeof syncStatusSchema>;
