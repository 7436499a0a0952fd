import { can } from '../../app/auth/roles';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import { createHlcClock } from '../../app/records/hlc';
import { createAuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { createKeyring, type NewStaff } from './keyring';
import { createLocalState } from './local-state';
import type { IndexProgress } from './patient-index-cache';
import { createObservationRepository } from './observations';
import { createPatientRepository, type IndexReport } from './patients';
import type { Session } from './session';
import { StoreError } from './store-error';

export type VaultState =
  | { status: 'no-clinic' }
  | { status: 'locked'; clinicName: string; reason: 'start' | 'user' | 'idle' }
  | {
      status: 'unlocked';
      clinicName: string;
      session: Session;
      index: IndexReport;
      /** Set until an admin confirms having written the recovery key down; shown again after a restart until then. */
      recoveryKeyPending?: string;
    };

export interface VaultOptions {
  /** PBKDF2 iterations for new passphrase wraps (tests lower it). */
  iterations?: number;
}

/**
 * The encrypted store as the screens see it: one state (no clinic, locked,
 * unlocked) and the operations allowed in each. Locking drops the session, the
 * data key and the search index; nothing decrypted outlives it here.
 */
export async function createVault(db: ClinicDatabase, options: VaultOptions = {}) {
  const local = createLocalState(db);
  // The clock's node id is the workstation id, which exists once the clinic is set up.
  let clock = createHlcClock('setup');
  const keyring = createKeyring(db, local, { iterations: options.iterations, clock: { tick: () => clock.tick() } });
  const audit = createAuditLog(db, local, { clock: { tick: () => clock.tick() } });
  const patients = createPatientRepository(db, local, audit, { clock: { tick: () => clock.tick() } });
  const observations = createObservationRepository(db, audit, { clock: { tick: () => clock.tick() } });
  const listeners = new Set<(state: VaultState) => void>();
  const failedLogins = new Map<string, number>();

  const identity = await keyring.identity();
  if (identity) clock = createHlcClock(identity.workstationId);
  let state: VaultState = identity ? { status: 'locked', clinicName: identity.clinicName, reason: 'start' } : { status: 'no-clinic' };

  const setState = (next: VaultState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };

  const pendingKey = 'recovery-key-pending';
  const pendingContext = (session: Session) => ['recovery-key-pending', session.clinicId];

  async function pendingRecoveryKey(session: Session): Promise<string | undefined> {
    const sealed = await local.get(pendingKey);
    if (sealed === undefined || !can(session.role, 'staff.manage')) return undefined;
    const key = await openPayload(session.dataKey, pendingContext(session), sealed, 'The pending recovery key');
    return typeof key === 'string' ? key : undefined;
  }

  async function open(session: Session, clinicName: string, onProgress?: IndexProgress): Promise<void> {
    const index = await patients.openIndex(session, onProgress);
    const failures = failedLogins.get(session.username);
    failedLogins.delete(session.username);
    // Failed attempts could not be sealed into the log without the key; they are recorded at the next success.
    if (failures) await audit.record(session, { kind: 'user.login-failed', outcome: 'minor-failure', detail: { attempts: failures } });
    await audit.record(session, { kind: 'user.login' });
    setState({ status: 'unlocked', clinicName, session, index, recoveryKeyPending: await pendingRecoveryKey(session) });
  }

  function requireSession(): Session {
    if (state.status !== 'unlocked') throw new StoreError('locked', 'The workstation is locked.');
    return state.session;
  }

  return {
    get state() {
      return state;
    },
    subscribe: (listener: (state: VaultState) => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>): Promise<{ recoveryKey: string }> {
      const { session, recoveryKey } = await keyring.setupClinic(input);
      clock = createHlcClock(session.workstationId);
      // Kept sealed until confirmed, so a power cut before it was written down does not lose it.
      await local.put(pendingKey, await sealPayload(session.dataKey, pendingContext(session), recoveryKey));
      await open(session, input.clinicName.trim());
      return { recoveryKey };
    },

    /** The admin has written the recovery key down: forget it for good. */
    async confirmRecoveryKeySaved(): Promise<void> {
      requireSession();
      await local.remove(pendingKey);
      if (state.status === 'unlocked') setState({ ...state, recoveryKeyPending: undefined });
    },

    /** Unlocks; `onProgress` follows the opening of the records (slow only the first time on a workstation). */
    async login(username: string, passphrase: string, onProgress?: IndexProgress): Promise<void> {
      const clinic = await keyring.identity();
      try {
        await open(await keyring.login(username, passphrase), clinic?.clinicName ?? '', onProgress);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'wrong_credentials') {
          const name = username.trim().toLowerCase();
          failedLogins.set(name, (failedLogins.get(name) ?? 0) + 1);
        }
        throw error;
      }
    },

    async recover(recoveryKey: string, username: string, passphrase: string, onProgress?: IndexProgress): Promise<void> {
      const clinic = await keyring.identity();
      const session = await keyring.recover(recoveryKey, username, passphrase);
      await open(session, clinic?.clinicName ?? '', onProgress);
      await audit.record(session, { kind: 'staff.reset-passphrase', targetUserId: session.userId });
    },

    /** Locks now: by the user's choice or after the idle time. */
    async lock(reason: 'user' | 'idle' = 'user'): Promise<void> {
      if (state.status !== 'unlocked') return;
      const { session, clinicName } = state;
      // The screens lose access at once; the key lives on only in this closure
      // until the index snapshot is sealed and the lock is audited.
      setState({ status: 'locked', clinicName, reason });
      await patients.closeIndex(session).catch(() => undefined);
      await audit.record(session, { kind: 'user.lock', detail: { reason } }).catch(() => undefined);
    },

    keyring: {
      changePassphrase: async (current: string, next: string) => keyring.changePassphrase(requireSession(), current, next),
      addStaff: async (input: NewStaff) => {
        const session = requireSession();
        const added = await keyring.addStaff(session, input);
        await audit.record(session, { kind: 'staff.create', targetUserId: added.id });
        return added;
      },
      listStaff: async () => keyring.listStaff(requireSession()),
      setDisabled: async (userId: string, disabled: boolean) => {
        const session = requireSession();
        await keyring.setDisabled(session, userId, disabled);
        await audit.record(session, { kind: 'staff.disable', targetUserId: userId, detail: { disabled: disabled ? 1 : 0 } });
      },
    },
    patients: {
      register: async (input: unknown) => patients.register(requireSession(), input),
      update: async (id: string, input: unknown) => patients.update(requireSession(), id, input),
      get: async (id: string) => patients.get(requireSession(), id),
      search: (query: string, limit?: number) => patients.search(requireSession(), query, limit),
    },
    observations: {
      record: async (drafts: readonly unknown[]) => observations.record(requireSession(), drafts),
      forPatient: async (patientId: string) => observations.forPatient(requireSession(), patientId),
    },
    audit: {
      list: async (filter?: Parameters<typeof audit.list>[1]) => audit.list(requireSession(), filter),
      verify: async () => audit.verify(requireSession()),
    },
  };
}
export type Vault = Awaited<ReturnType<typeof createVault>>;
