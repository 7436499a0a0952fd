import { z } from 'zod';
import { roles } from '../../app/auth/roles';
import { keyWrapSchema } from '../../app/crypto/keys';

export const staffClaimsSchema = z
  .object({
    username: z.string(),
    displayName: z.string().min(1).max(100),
    role: z.enum(roles),
    disabled: z.boolean(),
    /**
     * Set when an administrator reset the passphrase to a temporary one: the
     * next login must choose a new one. Sealed with the claims so it cannot be
     * cleared in the database without the key; optional because accounts
     * sealed before it existed have none (absent means false).
     */
    mustChangePassphrase: z.boolean().optional(),
  })
  .strict();
export type StaffClaims = z.infer<typeof staffClaimsSchema>;

export interface LocalEntry {
  id: string;
  value: string;
}

/** This workstation's identity and the clinic's recovery wrap, stored in clear (not PHI). */
export const clinicIdentitySchema = z
  .object({
    formatVersion: z.literal(1),
    clinicId: z.string(),
    clinicName: z.string(),
    workstationId: z.string(),
    createdAt: z.iso.datetime(),
    recoveryWrap: keyWrapSchema,
  })
  .strict();
export type ClinicIdentity = z.infer<typeof clinicIdentitySchema>;
