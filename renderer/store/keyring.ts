import type { Role } from '../../app/auth/roles';
import { pbkdf2Iterations } from '../../app/crypto/keys';
import type { StaffSummary } from '../../app/contract/data-api';
import { createClinicSetup } from './clinic-setup';
import type { ClinicDatabase } from './database';
import type { ClinicIdentity } from './documents';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { createStaffAccounts, type KeyringSettings, type NewStaff } from './staff-accounts';
import { createStaffAdmin } from './staff-admin';
import { createStaffDirectory } from './staff-directory';
import { createStaffUnlock } from './staff-unlock';

export { normalizeUsername, type NewStaff } from './staff-accounts';

export interface KeyringOptions {
  /** PBKDF2 iterations for new wraps; tests may lower it, production never does. */
  iterations?: number;
  now?: () => number;
  clock: { tick(): string };
}

/**
 * Clinic setup, staff accounts and unlocking; each method says what it needs
 * of the session. The data key is never stored in clear: only wrapped, once
 * per staff passphrase and once under the recovery key. A role change or a
 * disabled flag is sealed with the account, so it is not editable in the
 * database without the key.
 */
export interface Keyring {
  /** This workstation's clinic and ids, once a clinic is set up or joined. */
  identity(): Promise<ClinicIdentity | undefined>;
  setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>, ids?: { clinicId: string; workstationId: string }): Promise<{ session: Session; recoveryKey: string }>;
  /** A clinic that arrived by enrollment (its staff come by sync). */
  adoptClinic(clinic: Omit<ClinicIdentity, 'formatVersion' | 'createdAt'>): Promise<void>;
  login(username: string, passphrase: string, newPassphrase?: string): Promise<Session>;
  changePassphrase(session: Session, current: string, next: string): Promise<void>;
  recover(recoveryKey: string, username: string, next: string): Promise<Session>;
  addStaff(session: Session, input: NewStaff): Promise<StaffSummary>;
  listStaff(session: Session): Promise<StaffSummary[]>;
  staffNames(session: Session): Promise<Record<string, string>>;
  setDisabled(session: Session, userId: string, disabled: boolean): Promise<void>;
  setRole(session: Session, userId: string, role: Role): Promise<void>;
  resetPassphrase(session: Session, userId: string, temporary: string): Promise<void>;
}

export function createKeyring(db: ClinicDatabase, local: LocalState, options: KeyringOptions): Keyring {
  const settings: KeyringSettings = { iterations: options.iterations ?? pbkdf2Iterations, now: options.now ?? (() => Date.now()), clock: options.clock };
  // One account store for every part, so an account is sealed, read and stamped one way.
  const accounts = createStaffAccounts(db, settings);
  const clinicSetup = createClinicSetup(local, accounts, settings);
  const directory = createStaffDirectory(db, accounts);
  return {
    ...clinicSetup,
    ...createStaffUnlock(accounts, clinicSetup, settings),
    ...directory,
    ...createStaffAdmin(db, accounts, directory, settings),
  };
}
