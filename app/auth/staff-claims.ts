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
