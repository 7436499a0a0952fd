import { requirePermission, roles, type Role } from '../../app/auth/roles';
import { KeyError, generateDataKey, generateRecoveryKey, minPassphraseLength, pbkdf2Iterations, unwrapWithPassphrase, unwrapWithRecoveryKey, wrapWithPassphrase, wrapWithRecoveryKey, type KeyWrap } from '../../app/crypto/keys';
import { staffClaimsContext, staffClaimsSchema, type StaffClaims } from '../../app/auth/staff-claims';
import type { StaffSummary } from '../../app/contract/data-api';
import { canonicalUsername, staffValidationKeys, usernamePattern } from '../../app/auth/staff-input';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import type { ClinicDatabase } from './database';
import type { StaffAccount } from '../../app/auth/staff-account';
import { clinicIdentitySchema, type ClinicIdentity } from './documents';
import { newId } from './ids';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { StoreError } from './store-error';

export interface KeyringOptions {
  /** PBKDF2 iterations for new wraps; tests may lower it, production never does. */
  iterations?: number;
  now?: () => number;
  clock: { tick(): string };
}

export interface NewStaff {
  displayName: string;
  username: string;
  role: Role;
  passphrase: string;
}


const identityKey = 'clinic-identity';
const maxFailures = 5;
const lockoutMs = 30_000;

export function normalizeUsername(text: string): string {
  const username = canonicalUsername(text);
  // The same rule the forms check and their hint describes (app/auth/staff-input.ts).
  if (!usernamePattern.test(username)) {
    throw new StoreError('invalid', 'A user name has 3 to 32 letters, digits, dots, dashes or underscores.', { username: staffValidationKeys.usernameInvalid });
  }
  return username;
}

function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < minPassphraseLength) throw new StoreError('weak_passphrase', `A passphrase has at least ${minPassphraseLength} characters.`);
}

/** A passphrase someone chose themselves: the flag set by an administrator's reset goes with the wrap it described. */
const chosenByThemselves = (claims: StaffClaims): StaffClaims => ({ ...claims, mustChangePassphrase: false });


/**
 * Clinic setup, staff accounts and unlocking. The data key is never stored in
 * clear: only wrapped, once per staff passphrase and once under the recovery
 * key. A role change or a disabled flag is sealed with the account, so it is
 * not editable in the database without the key.
 */
/** Clinic setup, staff accounts and unlocking; each method says what it needs of the session. */
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
  const iterations = options.iterations ?? pbkdf2Iterations;
  const now = options.now ?? (() => Date.now());
  const failures = new Map<string, { count: number; until: number }>();
  let decoy: Promise<KeyWrap> | undefined;

  /** A wrap nobody can open, derived at the same cost as a real one. */
  function decoyWrap(): Promise<KeyWrap> {
    decoy ??= generateDataKey().then((key) => wrapWithPassphrase(key, crypto.randomUUID(), iterations));
    return decoy;
  }

  async function identity(): Promise<ClinicIdentity | undefined> {
    const text = await local.get(identityKey);
    return text === undefined ? undefined : clinicIdentitySchema.parse(JSON.parse(text));
  }

  async function requireIdentity(): Promise<ClinicIdentity> {
    const found = await identity();
    if (!found) throw new StoreError('not_set_up', 'No clinic is set up on this workstation.');
    return found;
  }

  async function writeAccount(dataKey: CryptoKey, base: Pick<StaffAccount, 'id' | 'clinicId' | 'username' | 'wrap'>, claims: StaffClaims): Promise<void> {
    const claimsText = await sealPayload(dataKey, staffClaimsContext(base), claims);
    await db.staff.upsert({ ...base, updatedAt: now(), hlc: options.clock.tick(), claims: claimsText });
  }

  async function openClaims(dataKey: CryptoKey, account: StaffAccount): Promise<StaffClaims> {
    const claims = staffClaimsSchema.safeParse(await openPayload(dataKey, staffClaimsContext(account), account.claims, `Staff account ${account.id}`));
    if (!claims.success || claims.data.username !== account.username) throw new StoreError('unreadable_record', `Staff account ${account.id} is damaged.`);
    return claims.data;
  }

  async function findAccount(username: string): Promise<StaffAccount | undefined> {
    const doc = await db.staff.findOne({ selector: { username } }).exec();
    return doc?.toMutableJSON();
  }

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
    return { account, claims: await openClaims(session.dataKey, account) };
  }

  /** Refuses a change that would leave the clinic without an active administrator. */
  async function keepAnActiveAdmin(session: Session, target: StaffClaims): Promise<void> {
    if (target.role !== 'admin' || target.disabled) return;
    const admins = (await listStaff(session)).filter((s) => s.role === 'admin' && !s.disabled);
    if (admins.length <= 1) throw new StoreError('last_admin', 'The last active administrator cannot be disabled or given another role.');
  }

  async function listStaff(session: Session): Promise<StaffSummary[]> {
    requirePermission(session, 'staff.manage');
    const accounts = await db.staff.find().exec();
    const out: StaffSummary[] = [];
    for (const doc of accounts) out.push({ id: doc.id, ...(await openClaims(session.dataKey, doc.toMutableJSON())) });
    return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** Display names by user id, for showing who recorded a reading; anyone who reads charts may see them. */
  async function staffNames(session: Session): Promise<Record<string, string>> {
    requirePermission(session, 'patient.read');
    const names: Record<string, string> = {};
    for (const doc of await db.staff.find().exec()) {
      try {
        names[doc.id] = (await openClaims(session.dataKey, doc.toMutableJSON())).displayName;
      } catch {
        // An account whose claims do not open shows as unknown; the chart still loads.
      }
    }
    return names;
  }

  function startSession(account: StaffAccount, claims: StaffClaims, clinic: ClinicIdentity, dataKey: CryptoKey): Session {
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

  return {
    identity,

    /**
     * First run: the clinic, its data key, the first admin, and the recovery key to show once.
     * `ids` are the hub's, when the first workstation of a clinic enrolled before setting it up.
     */
    async setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>, ids?: { clinicId: string; workstationId: string }): Promise<{ session: Session; recoveryKey: string }> {
      if (await identity()) throw new StoreError('already_set_up', 'A clinic is already set up on this workstation.');
      const clinicName = input.clinicName.trim();
      if (clinicName.length < 2 || clinicName.length > 100) throw new StoreError('invalid', 'A clinic name has 2 to 100 characters.', { clinicName: staffValidationKeys.clinicNameInvalid });
      const username = normalizeUsername(input.username);
      checkPassphrase(input.passphrase);
      const dataKey = await generateDataKey();
      const recoveryKey = generateRecoveryKey();
      const clinic: ClinicIdentity = {
        formatVersion: 1,
        clinicId: ids?.clinicId ?? newId('clinic'),
        clinicName,
        workstationId: ids?.workstationId ?? newId('ws'),
        createdAt: new Date(now()).toISOString(),
        recoveryWrap: await wrapWithRecoveryKey(dataKey, recoveryKey),
      };
      const base = { id: newId('user'), clinicId: clinic.clinicId, username, wrap: await wrapWithPassphrase(dataKey, input.passphrase, iterations) };
      const claims: StaffClaims = { username, displayName: input.displayName.trim(), role: 'admin', disabled: false };
      await writeAccount(dataKey, base, staffClaimsSchema.parse(claims));
      await local.put(identityKey, JSON.stringify(clinic));
      return { session: startSession({ ...base, updatedAt: 0, hlc: '', claims: '' }, claims, clinic, dataKey), recoveryKey };
    },

    /** A workstation that joined through a hub: the clinic's identity as its enrollment package carried it. Its staff arrive by sync. */
    async adoptClinic(clinic: Omit<ClinicIdentity, 'formatVersion' | 'createdAt'>): Promise<void> {
      if (await identity()) throw new StoreError('already_set_up', 'A clinic is already set up on this workstation.');
      const adopted: ClinicIdentity = clinicIdentitySchema.parse({ formatVersion: 1, ...clinic, createdAt: new Date(now()).toISOString() });
      await local.put(identityKey, JSON.stringify(adopted));
    },

    /**
     * Unlocks as `usernameText`. An account whose passphrase an administrator
     * reset opens only with `newPassphrase` (the person's own choice, checked
     * and sealed here before any session exists); without it the answer is
     * `passphrase_change_required` and nothing is unlocked.
     */
    async login(usernameText: string, passphrase: string, newPassphrase?: string): Promise<Session> {
      const clinic = await requireIdentity();
      const username = usernameText.trim().toLowerCase();
      const failure = failures.get(username);
      if (failure && failure.count >= maxFailures && now() < failure.until) {
        throw new StoreError('too_many_attempts', 'Too many wrong attempts. Wait 30 seconds, then try again.');
      }
      const account = await findAccount(username);
      let dataKey: CryptoKey;
      try {
        // An unknown user costs the same key derivation as a known one, so timing does not tell them apart.
        dataKey = await unwrapWithPassphrase(account?.wrap ?? (await decoyWrap()), passphrase);
        if (!account) throw new KeyError('wrong_passphrase', '');
      } catch (error) {
        if (!(error instanceof KeyError)) throw error;
        const count = (failure?.count ?? 0) + 1;
        failures.set(username, { count, until: now() + lockoutMs });
        throw new StoreError('wrong_credentials', 'The user name or passphrase is not right.');
      }
      failures.delete(username);
      const claims = await openClaims(dataKey, account);
      if (!claims.mustChangePassphrase || claims.disabled) return startSession(account, claims, clinic, dataKey);
      if (newPassphrase === undefined) throw new StoreError('passphrase_change_required', 'This passphrase was set by an administrator: choose a new one.');
      checkPassphrase(newPassphrase);
      if (newPassphrase === passphrase) throw new StoreError('same_passphrase', 'The new passphrase must differ from the temporary one.');
      const changed = { ...account, wrap: await wrapWithPassphrase(dataKey, newPassphrase, iterations) };
      const ownClaims = chosenByThemselves(claims);
      await writeAccount(dataKey, changed, ownClaims);
      return startSession(changed, ownClaims, clinic, dataKey);
    },

    async changePassphrase(session: Session, current: string, next: string): Promise<void> {
      checkPassphrase(next);
      const account = await findAccount(session.username);
      if (!account) throw new StoreError('not_found');
      try {
        await unwrapWithPassphrase(account.wrap, current);
      } catch {
        throw new StoreError('wrong_credentials', 'The current passphrase is not right.');
      }
      const claims = await openClaims(session.dataKey, account);
      await writeAccount(session.dataKey, { ...account, wrap: await wrapWithPassphrase(session.dataKey, next, iterations) }, chosenByThemselves(claims));
    },

    /** Sets a new passphrase for any account with the clinic's recovery key, then unlocks as that person. */
    async recover(recoveryKey: string, usernameText: string, next: string): Promise<Session> {
      const clinic = await requireIdentity();
      checkPassphrase(next);
      let dataKey: CryptoKey;
      try {
        dataKey = await unwrapWithRecoveryKey(clinic.recoveryWrap, recoveryKey);
      } catch {
        throw new StoreError('wrong_recovery_key', 'That recovery key does not open this clinic’s data.');
      }
      const account = await findAccount(usernameText.trim().toLowerCase());
      if (!account) throw new StoreError('not_found', 'There is no account with that user name.');
      const claims = chosenByThemselves(await openClaims(dataKey, account));
      const base = { ...account, wrap: await wrapWithPassphrase(dataKey, next, iterations) };
      await writeAccount(dataKey, base, claims);
      return startSession({ ...account, ...base }, claims, clinic, dataKey);
    },

    async addStaff(session: Session, input: NewStaff): Promise<StaffSummary> {
      requirePermission(session, 'staff.manage');
      const username = normalizeUsername(input.username);
      checkPassphrase(input.passphrase);
      if (await findAccount(username)) throw new StoreError('username_taken', 'That user name is already in use.');
      const displayName = input.displayName.trim();
      if (displayName.length < 1 || displayName.length > 100) throw new StoreError('invalid', 'A name has 1 to 100 characters.', { displayName: staffValidationKeys.displayNameRequired });
      const base = { id: newId('user'), clinicId: session.clinicId, username, wrap: await wrapWithPassphrase(session.dataKey, input.passphrase, iterations) };
      const claims: StaffClaims = { username, displayName, role: input.role, disabled: false };
      await writeAccount(session.dataKey, base, claims);
      return { id: base.id, ...claims };
    },

    listStaff,

    staffNames,

    async setDisabled(session: Session, userId: string, disabled: boolean): Promise<void> {
      const { account, claims } = await otherAccount(session, userId);
      if (disabled) await keepAnActiveAdmin(session, claims);
      await writeAccount(session.dataKey, account, { ...claims, disabled });
    },

    /** Gives another person a new role; the clinic always keeps an active administrator. */
    async setRole(session: Session, userId: string, role: Role): Promise<void> {
      // The role arrives from a form: checked here, not trusted from the caller's type.
      if (!roles.includes(role)) throw new StoreError('invalid', 'That is not a role of this workstation.');
      const { account, claims } = await otherAccount(session, userId);
      if (claims.role === role) return;
      if (role !== 'admin') await keepAnActiveAdmin(session, claims);
      await writeAccount(session.dataKey, account, { ...claims, role });
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
      await writeAccount(session.dataKey, reset, { ...claims, mustChangePassphrase: true });
    },
  };

}

