import { requirePermission, roles, type Role } from '../../app/auth/roles';
import { wrapWithPassphrase } from '../../app/crypto/keys';
import type { StaffClaims } from '../../app/auth/staff-claims';
import type { StaffSummary } from '../../app/contract/data-api';
import { staffValidationKeys } from '../../app/auth/staff-input';
import type { ClinicDatabase } from './database';
import type { StaffAccount } from '../../app/auth/staff-account';
import { newId } from './ids';
import type { Session } from './session';
import { StoreError } from './store-error';
import type { StaffDirectory } from './staff-directory';
import { checkPassphrase, normalizeUsername, type KeyringSettings, type NewStaff, type StaffAccounts } from './staff-accounts';

/** The staff page's changes: an administrator adds people and changes another person's role, access or passphrase. */
export interface StaffAdmin {
  addStaff(session: Session, input: NewStaff): Promise<StaffSummary>;
  setDisabled(session: Session, userId: string, disabled: boolean): Promise<void>;
  setRole(session: Session, userId: string, role: Role): Promise<void>;
  resetPassphrase(session: Session, userId: string, temporary: string): Promise<void>;
}

export function createStaffAdmin(db: ClinicDatabase, accounts: StaffAccounts, directory: Pick<StaffDirectory, 'listStaff'>, settings: KeyringSettings): StaffAdmin {
  const { iterations } = settings;

  /**
   * The account another person's administrator acts on. Their own account is
   * refused: disabling or demoting yourself can lock the clinic out of its
   * staff page, and their own passphrase is changed on the account page,
   * which asks for the current one.
   */
  async function otherAccount(session: Session, userId: string): Promise<{ account: StaffAccount; claims: StaffClaims }> {
    requirePermission(session, 'staff.manage');
    if (userId === session.userId) throw new StoreError('own_account', 'Administrators cannot change their own role, access or passphrase from the staff page.');
    const doc = await db.staff.findOne(userId).exec();
    if (!doc) throw new StoreError('not_found', 'There is no such account.');
    const account = doc.toMutableJSON();
    return { account, claims: await accounts.openClaims(session.dataKey, account) };
  }

  /** Refuses a change that would leave the clinic without an active administrator. */
  async function keepAnActiveAdmin(session: Session, target: StaffClaims): Promise<void> {
    if (target.role !== 'admin' || target.disabled) return;
    const admins = (await directory.listStaff(session)).filter((s) => s.role === 'admin' && !s.disabled);
    if (admins.length <= 1) throw new StoreError('last_admin', 'The last active administrator cannot be disabled or given another role.');
  }

  return {
    async addStaff(session: Session, input: NewStaff): Promise<StaffSummary> {
      requirePermission(session, 'staff.manage');
      const username = normalizeUsername(input.username);
      checkPassphrase(input.passphrase);
      if (await accounts.find(username)) throw new StoreError('username_taken', 'That user name is already in use.');
      const displayName = input.displayName.trim();
      if (displayName.length < 1 || displayName.length > 100) throw new StoreError('invalid', 'A name has 1 to 100 characters.', { displayName: staffValidationKeys.displayNameRequired });
      const base = { id: newId('user'), clinicId: session.clinicId, username, wrap: await wrapWithPassphrase(session.dataKey, input.passphrase, iterations) };
      const claims: StaffClaims = { username, displayName, role: input.role, disabled: false };
      await accounts.write(session.dataKey, base, claims);
      return { id: base.id, ...claims };
    },

    async setDisabled(session: Session, userId: string, disabled: boolean): Promise<void> {
      const { account, claims } = await otherAccount(session, userId);
      if (disabled) await keepAnActiveAdmin(session, claims);
      await accounts.write(session.dataKey, account, { ...claims, disabled });
    },

    /** Gives another person a new role; the clinic always keeps an active administrator. */
    async setRole(session: Session, userId: string, role: Role): Promise<void> {
      // The role arrives from a form: checked here, not trusted from the caller's type.
      if (!roles.includes(role)) throw new StoreError('invalid', 'That is not a role of this workstation.');
      const { account, claims } = await otherAccount(session, userId);
      if (claims.role === role) return;
      if (role !== 'admin') await keepAnActiveAdmin(session, claims);
      await accounts.write(session.dataKey, account, { ...claims, role });
    },

    /**
     * Sets a temporary passphrase for another person, who must replace it at
     * their next login (see `login`). The administrator tells it to them in
     * person; it opens the account once.
     */
    async resetPassphrase(session: Session, userId: string, temporary: string): Promise<void> {
      checkPassphrase(temporary);
      const { account, claims } = await otherAccount(session, userId);
      const reset = { ...account, wrap: await wrapWithPassphrase(session.dataKey, temporary, iterations) };
      await accounts.write(session.dataKey, reset, { ...claims, mustChangePassphrase: true });
    },
  };
}
