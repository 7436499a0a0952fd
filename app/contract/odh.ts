import { z } from 'zod';

/**
 * The Open Data Hub queue kept by the main process (main/odh/contribution-queue.ts):
 * what the data worker hands it (de-identified Bundles and withdrawal
 * notices, never PHI) and what it says of them.
 */

export const odhQueueItemInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('submission'), bundle: z.record(z.string(), z.unknown()), summary: z.object({ patients: z.number().int().nonnegative(), resources: z.number().int().nonnegative() }).strict() }).strict(),
  z.object({ kind: z.literal('withdrawal'), patient: z.string().regex(/^Patient\/[0-9a-f]{64}$/) }).strict(),
]);
export type OdhQueueItemInput = z.infer<typeof odhQueueItemInputSchema>;

export const odhQueueStates = ['waiting', 'delivered', 'refused'] as const;

export const odhQueueItemSchema = z
  .object({
    id: z.string().regex(/^odhq-[0-9a-f]{32}$/),
    kind: z.enum(['submission', 'withdrawal']),
    state: z.enum(odhQueueStates),
    queuedAt: z.iso.datetime(),
    attempts: z.number().int().nonnegative(),
    lastAttemptAt: z.iso.datetime().optional(),
    /** Why it is still waiting (the hub not reached), or why the hub refused it, in the hub's or our plain words. */
    problem: z.string().max(1000).optional(),
    deliveredAt: z.iso.datetime().optional(),
    /** The hub's receipt for a submission. */
    receipt: z.string().max(100).optional(),
    patients: z.number().int().nonnegative().optional(),
    resources: z.number().int().nonnegative().optional(),
  })
  .strict();
export type OdhQueueItem = z.infer<typeof odhQueueItemSchema>;

export const odhQueueStatusSchema = z
  .object({
    waiting: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    refused: z.number().int().nonnegative(),
    /** When the queue tries the hub again, while items wait. */
    nextAttemptAt: z.iso.datetime().optional(),
    /** The latest items, newest first. */
    items: z.array(odhQueueItemSchema).max(100),
  })
  .strict();
export type OdhQueueStatus = z.infer<typeof odhQueueStatusSchema>;
