import { KeyError, generateDataKey, unwrapWithPassphrase, unwrapWithRecoveryKey, wrapWithPassphrase, type KeyWrap } from '../../app/crypto/keys';
import { requireIdentity, type ClinicSetup } from './clinic-setup';
import type { Session } from './session';
import { StoreError } from './store-error';
import { checkPassphrase, chosenByThemselves, startSession, type KeyringSettings, type StaffAccounts } from './staff-accounts';

const maxFailures = 5;
const lockoutMs = 30_000;

/** Wrong passphrases per user name: after `maxFailures` that name is paused, so guessing a passphrase is slow. */
interface LoginPause {
  /** Refuses a paused user name; otherwise the failures so far, which a wrong attempt counts on from. */
  check(username: string): number;
  failed(username: string, failuresBefore: number): void;
  succeeded(username: string): void;
}

function createLoginPause(now: () => number): LoginPause {
  const failures = new Map<string, { count: number; until: number }>();
  return {
    check(username: string): number {
      const failure = failures.get(username);
      if (failure && failure.count >= maxFailures && now() < failure.until) {
        throw new StoreError('too_many_attempts', 'Too many wrong attempts. Wait 30 seconds, then try again.');
      }
      return failure?.count ?? 0;
    },
    failed(username: string, failuresBefore: number): void {
      failures.set(username, { count: failuresBefore + 1, until: now() + lockoutMs });
    },
    succeeded(username: string): void {
      failures.delete(username);
    },
  };
}

/** The ways into a session: a person's passphrase, or the clinic's recovery key; and changing one's own passphrase. */
export interface StaffUnlock {
  login(username: string, passphrase: string, newPassphrase?: string): Promise<Session>;
  changePassphrase(session: Session, current: string, next: string): Promise<void>;
  recover(recoveryKey: string, username: string, next: string): Promise<Session>;
}

export function createStaffUnlock(accounts: StaffAccounts, clinicSetup: Pick<ClinicSetup, 'identity'>, settings: KeyringSettings): StaffUnlock {
  const { iterations, now } = settings;
  const pause = createLoginPause(now);
  let decoy: Promise<KeyWrap> | undefined;

  /** A wrap nobody can open, derived at the same cost as a real one. */
  function decoyWrap(): Promise<KeyWrap> {
    decoy ??= generateDataKey().then((key) => wrapWithPassphrase(key, crypto.randomUUID(), iterations));
    return decoy;
  }

  return {
    /**
     * Unlocks as `usernameText`. An account whose passphrase an administrator
     * reset opens only with `newPassphrase` (the person's own choice, checked
     * and sealed here before any session exists); without it the answer is
     * `passphrase_change_required` and nothing is unlocked.
     */
    async login(usernameText: string, passphrase: string, newPassphrase?: string): Promise<Session> {
      const clinic = await requireIdentity(clinicSetup);
      const username = usernameText.trim().toLowerCase();
      const failuresBefore = pause.check(username);
      const account = await accounts.find(username);
      let dataKey: CryptoKey;
      try {
        // An unknown user costs the same key derivation as a known one, so timing does not tell them apart.
        dataKey = await unwrapWithPassphrase(account?.wrap ?? (await decoyWrap()), passphrase);
        if (!account) throw new KeyError('wrong_passphrase', '');
      } catch (error) {
        if (!(error instanceof KeyError)) throw error;
        pause.failed(username, failuresBefore);
        throw new StoreError('wrong_credentials', 'The user name or passphrase is not right.');
      }
      pause.succeeded(username);
      const claims = await accounts.openClaims(dataKey, account);
      if (!claims.mustChangePassphrase || claims.disabled) return startSession(account, claims, clinic, dataKey);
      if (newPassphrase === undefined) throw new StoreError('passphrase_change_required', 'This passphrase was set by an administrator: choose a new one.');
      checkPassphrase(newPassphrase);
      if (newPassphrase === passphrase) throw new StoreError('same_passphrase', 'The new passphrase must differ from the temporary one.');
      const changed = { ...account, wrap: await wrapWithPassphrase(dataKey, newPassphrase, iterations) };
      const ownClaims = chosenByThemselves(claims);
      await accounts.write(dataKey, changed, ownClaims);
      return startSession(changed, ownClaims, clinic, dataKey);
    },

    async changePassphrase(session: Session, current: string, next: string): Promise<void> {
      checkPassphrase(next);
      const account = await accounts.find(session.username);
      if (!account) throw new StoreError('not_found');
      try {
        await unwrapWithPassphrase(account.wrap, current);
      } catch {
        throw new StoreError('wrong_credentials', 'The current passphrase is not right.');
      }
      const claims = await accounts.openClaims(session.dataKey, account);
      await accounts.write(session.dataKey, { ...account, wrap: await wrapWithPassphrase(session.dataKey, next, iterations) }, chosenByThemselves(claims));
    },

    /** Sets a new passphrase for any account with the clinic's recovery key, then unlocks as that person. */
    async recover(recoveryKey: string, usernameText: string, next: string): Promise<Session> {
      const clinic = await requireIdentity(clinicSetup);
      checkPassphrase(next);
      let dataKey: CryptoKey;
      try {
        dataKey = await unwrapWithRecoveryKey(clinic.recoveryWrap, recoveryKey);
      } catch {
        throw new StoreError('wrong_recovery_key', 'That recovery key does not open this clinic’s data.');
      }
      const account = await accounts.find(usernameText.trim().toLowerCase());
      if (!account) throw new StoreError('not_found', 'There is no account with that user name.');
      const claims = chosenByThemselves(await accounts.openClaims(dataKey, account));
      const base = { ...account, wrap: await wrapWithPassphrase(dataKey, next, iterations) };
      await accounts.write(dataKey, base, claims);
      return startSession({ ...account, ...base }, claims, clinic, dataKey);
    },
  };
}
