import { z } from 'zod';
import { keyWrapSchema } from '../crypto/keys';
import { sealedTextPattern } from '../crypto/seal';

/**
 * A staff account as stored and replicated. `username` is clear so login can
 * find it, and the wrap (the data key under the person's passphrase) must be
 * readable before anything can be opened; what the account may do is in
 * `claims`, sealed (staff-claims.ts binds it to the rest).
 */
export const staffAccountSchema = z
  .object({
    id: z.string().min(1).max(64),
    clinicId: z.string().min(1).max(64),
    username: z.string().min(1).max(64),
    wrap: keyWrapSchema,
    updatedAt: z.number().int().nonnegative(),
    hlc: z.string().min(1).max(64),
    /** Sealed {@link StaffClaims}, bound to id, clinic, username and wrap. */
    claims: z.string().max(4096).regex(sealedTextPattern),
  })
  .strict();
export type StaffAccount = z.infer<typeof staffAccountSchema>;
