import { minPassphraseLength } from '../../app/crypto/keys';
import type { Role } from '../../app/auth/roles';
import { staffClaimsContext, staffClaimsSchema, type StaffClaims } from '../../app/auth/staff-claims';
import type { StaffAccount } from '../../app/auth/staff-account';
import { canonicalUsername, staffValidationKeys, usernamePattern } from '../../app/auth/staff-input';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import type { ClinicDatabase } from './database';
import type { ClinicIdentity } from './documents';
import type { Session } from './session';
import { StoreError } from './store-error';

/**
 * Staff accounts as stored: the passphrase wrap in clear (login must find and
 * open it first), the claims sealed and bound to the account. Shared by the
 * keyring's parts (clinic setup, unlocking, staff administration).
 */

export interface NewStaff {
  displayName: string;
  username: string;
  role: Role;
  passphrase: string;
}

/** The keyring's options with their defaults applied, as each of its parts uses them. */
export interface KeyringSettings {
  /** PBKDF2 iterations for new wraps. */
  iterations: number;
  now: () => number;
  clock: { tick(): string };
}

export function normalizeUsername(text: string): string {
  const username = canonicalUsername(text);
  // The same rule the forms check and their hint describes (app/auth/staff-input.ts).
  if (!usernamePattern.test(username)) {
    throw new StoreError('invalid', 'A user name has 3 to 32 letters, digits, dots, dashes or underscores.', { username: staffValidationKeys.usernameInvalid });
  }
  return username;
}

export function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < minPassphraseLength) throw new StoreError('weak_passphrase', `A passphrase has at least ${minPassphraseLength} characters.`);
}

/** A passphrase someone chose themselves: the flag set by an administrator's reset goes with the wrap it described. */
export const chosenByThemselves = (claims: StaffClaims): StaffClaims => ({ ...claims, mustChangePassphrase: false });

export function startSession(account: StaffAccount, claims: StaffClaims, clinic: ClinicIdentity, dataKey: CryptoKey): Session {
  if (claims.disabled) throw new StoreError('account_disabled', 'This account is disabled. Ask a clinic administrator.');
  return {
    userId: account.id,
    username: account.username,
    displayName: claims.displayName,
    role: claims.role,
    disabled: false,
    clinicId: clinic.clinicId,
    workstationId: clinic.workstationId,
    dataKey,
  };
}

export interface StaffAccounts {
  find(username: string): Promise<StaffAccount | undefined>;
  /** The account's claims; a claims text that does not open, or names another user, is a damaged account. */
  openClaims(dataKey: CryptoKey, account: StaffAccount): Promise<StaffClaims>;
  /** Seals the claims bound to `base` (so they cannot be moved to another account or wrap) and stores the account. */
  write(dataKey: CryptoKey, base: Pick<StaffAccount, 'id' | 'clinicId' | 'username' | 'wrap'>, claims: StaffClaims): Promise<void>;
}

export function createStaffAccounts(db: ClinicDatabase, settings: KeyringSettings): StaffAccounts {
  return {
    async find(username: string): Promise<StaffAccount | undefined> {
      const doc = await db.staff.findOne({ selector: { username } }).exec();
      return doc?.toMutableJSON();
    },

    async openClaims(dataKey: CryptoKey, account: StaffAccount): Promise<StaffClaims> {
      const claims = staffClaimsSchema.safeParse(await openPayload(dataKey, staffClaimsContext(account), account.claims, `Staff account ${account.id}`));
      if (!claims.success || claims.data.username !== account.username) throw new StoreError('unreadable_record', `Staff account ${account.id} is damaged.`);
      return claims.data;
    },

    async write(dataKey: CryptoKey, base: Pick<StaffAccount, 'id' | 'clinicId' | 'username' | 'wrap'>, claims: StaffClaims): Promise<void> {
      const claimsText = await sealPayload(dataKey, staffClaimsContext(base), claims);
      await db.staff.upsert({ ...base, updatedAt: settings.now(), hlc: settings.clock.tick(), claims: claimsText });
    },
  };
}
