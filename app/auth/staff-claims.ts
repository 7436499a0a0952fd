import { z } from 'zod';
import { roles } from './roles';
import type { KeyWrap } from '../crypto/keys';

/** The clear part of a staff account its sealed claims are bound to. */
export interface StaffClaimsBinding {
  id: string;
  clinicId: string;
  username: string;
  wrap: KeyWrap;
}

/**
 * The context a staff account's claims are sealed under: they open only
 * beside the account and the wrap they were sealed with, so a wrap copied
 * into another account (to borrow its role) opens nothing.
 */
export const staffClaimsContext = (account: StaffClaimsBinding): string[] => ['staff', account.id, account.clinicId, account.username, account.wrap.salt, account.wrap.wrapped];

/** What an account may do, sealed with it (`StaffAccount.claims`). */
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
