import { can } from '../../app/auth/roles';
import type { IndexReport, LockReason } from '../../app/contract/data-api';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import type { NewStaff } from './keyring';
import type { IndexProgress } from './patient-index-cache';
import type { Session } from './session';
import { StoreError } from './store-error';
import type { StoreServices } from './store-services';

/** The vault's state with the unlocked session itself (its data key): it never leaves the data worker. */
export type KeyedVaultState =
  | { status: 'no-clinic' }
  | { status: 'locked'; clinicName: string; reason: 'start' | LockReason }
  | {
      status: 'unlocked';
      clinicName: string;
      session: Session;
      index: IndexReport;
      /** Set until an admin confirms having written the recovery key down; shown again after a restart until then. */
      recoveryKeyPending?: string;
    };

/**
 * No clinic, locked, unlocked: the vault's one state and the moves between
 * them. Unlocking opens the search index, merges what waited for the key and
 * audits the login; locking drops the session, the key and the index.
 */
export interface LockState {
  readonly state: KeyedVaultState;
  subscribe(listener: (state: KeyedVaultState) => void): () => void;
  /** Records other than audit entries changed while unlocked (after the search index caught up): screens refetch. */
  onRecordsChanged(listener: () => void): () => void;
  /** The unlocked session, or a `locked` error. */
  requireSession(): Session;
  /** `hubIds`: the clinic and workstation ids of the hub this workstation enrolled with before the clinic existed. */
  setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>, hubIds?: { clinicId: string; workstationId: string }): Promise<{ recoveryKey: string }>;
  /** A clinic arrived by enrollment: locked until its staff log in. */
  joined(clinicName: string): void;
  login(username: string, passphrase: string, onProgress?: IndexProgress, newPassphrase?: string): Promise<void>;
  recover(recoveryKey: string, username: string, passphrase: string, onProgress?: IndexProgress): Promise<void>;
  lock(reason?: LockReason): Promise<void>;
  confirmRecoveryKeySaved(): Promise<void>;
}

const pendingKey = 'recovery-key-pending';
const pendingContext = (session: Session) => ['recovery-key-pending', session.clinicId];

export async function createLockState(services: StoreServices): Promise<LockState> {
  const { keyring, local, audit, clock } = services;
  const listeners = new Set<(state: KeyedVaultState) => void>();
  const watch = createChangeWatch(services);
  const failedLogins = new Map<string, number>();

  const identity = await keyring.identity();
  if (identity) clock.setNode(identity.workstationId);
  let state: KeyedVaultState = identity ? { status: 'locked', clinicName: identity.clinicName, reason: 'start' } : { status: 'no-clinic' };

  const setState = (next: KeyedVaultState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };

  async function open(session: Session, clinicName: string, onProgress?: IndexProgress): Promise<void> {
    const failures = failedLogins.get(session.username);
    failedLogins.delete(session.username);
    const index = await openSession(services, session, failures, onProgress);
    watch.start(session);
    setState({ status: 'unlocked', clinicName, session, index, recoveryKeyPending: await pendingRecoveryKey(local, session) });
  }

  function requireSession(): Session {
    if (state.status !== 'unlocked') throw new StoreError('locked', 'The workstation is locked.');
    return state.session;
  }

  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRecordsChanged: (listener) => watch.onRecordsChanged(listener),
    requireSession,
    async setupClinic(input, hubIds) {
      const { session, recoveryKey } = await keyring.setupClinic(input, hubIds);
      clock.setNode(session.workstationId);
      // Kept sealed until confirmed, so a power cut before it was written down does not lose it.
      await local.put(pendingKey, await sealPayload(session.dataKey, pendingContext(session), recoveryKey));
      await open(session, input.clinicName.trim());
      return { recoveryKey };
    },
    joined(clinicName) {
      setState({ status: 'locked', clinicName, reason: 'start' });
    },
    async login(username, passphrase, onProgress, newPassphrase) {
      const clinic = await keyring.identity();
      try {
        await open(await keyring.login(username, passphrase, newPassphrase), clinic?.clinicName ?? '', onProgress);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'wrong_credentials') {
          const name = username.trim().toLowerCase();
          failedLogins.set(name, (failedLogins.get(name) ?? 0) + 1);
        }
        throw error;
      }
    },
    async recover(recoveryKey, username, passphrase, onProgress) {
      const clinic = await keyring.identity();
      const session = await keyring.recover(recoveryKey, username, passphrase);
      await open(session, clinic?.clinicName ?? '', onProgress);
      await audit.record(session, { kind: 'staff.reset-passphrase', targetUserId: session.userId });
    },
    async lock(reason = 'user') {
      if (state.status !== 'unlocked') return;
      const { session, clinicName } = state;
      // The screens lose access at once; the key lives on only in this closure
      // until the index snapshot is sealed and the lock is audited.
      setState({ status: 'locked', clinicName, reason });
      watch.stop();
      services.conflictDesk.setSession(undefined);
      await services.patients.closeIndex(session).catch(() => undefined);
      await audit.record(session, { kind: 'user.lock', detail: { reason } }).catch(() => undefined);
    },
    async confirmRecoveryKeySaved() {
      requireSession();
      await local.remove(pendingKey);
      if (state.status === 'unlocked') setState({ ...state, recoveryKeyPending: undefined });
    },
  };
}

/** The recovery key shown at setup until an admin confirms having written it down. */
async function pendingRecoveryKey(local: StoreServices['local'], session: Session): Promise<string | undefined> {
  const sealed = await local.get(pendingKey);
  if (sealed === undefined || !can(session.role, 'staff.manage')) return undefined;
  const key = await openPayload(session.dataKey, pendingContext(session), sealed, 'The pending recovery key');
  return typeof key === 'string' ? key : undefined;
}

/** What an unlock does before the screens see it: open the search index, audit, name this workstation, merge what waited for the key. */
async function openSession(services: StoreServices, session: Session, failures: number | undefined, onProgress?: IndexProgress): Promise<IndexReport> {
  const index = await services.patients.openIndex(session, onProgress);
  // Failed attempts could not be sealed into the log without the key; they are recorded at the next success.
  if (failures) await services.audit.record(session, { kind: 'user.login-failed', outcome: 'minor-failure', detail: { attempts: failures } });
  await services.audit.record(session, { kind: 'user.login' });
  // The first unlock after enrollment names this workstation to the clinic. A
  // failed write costs only the name on other screens until the next unlock; it must not keep anyone out.
  await services.workstations.publishOwn(session).catch(() => undefined);
  services.conflictDesk.setSession(session);
  await services.conflictDesk.mergeParked(session);
  // Entries stay until checked, so a failure here is retried later; it must not keep anyone out.
  await services.keptAside.checkStoredWhileLocked(session).catch(() => undefined);
  return index;
}

/** Records changed (by this workstation or arriving by sync) are applied to the search index this long after the last change. */
const catchUpDelayMs = 200;

/**
 * While unlocked, records that change (merged, or pulled from the hub while
 * someone works) reach the search index and the open screens shortly after.
 */
function createChangeWatch(services: StoreServices) {
  const changeListeners = new Set<() => void>();
  let stop: (() => void) | undefined;

  function start(session: Session): void {
    stop?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let screensAffected = false;
    const changed = (affectsScreens: boolean) => {
      if (affectsScreens) screensAffected = true;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const notify = screensAffected;
        screensAffected = false;
        void services.patients
          .catchUp(session)
          .then(() => services.conflictDesk.mergeParked(session))
          // An arrival stored just as the workstation unlocked was remembered as while locked.
          .then(() => services.keptAside.checkStoredWhileLocked(session))
          .then(() => {
            if (notify) for (const listener of changeListeners) listener();
          })
          .catch(() => undefined);
      }, catchUpDelayMs);
    };
    // Audit entries change nothing a screen shows, and opening a chart writes
    // one (here, or on another workstation that then syncs it here): screens
    // refetching on them would refetch forever. The facility directory the hub
    // operator changes is shown on the map and the referral screens.
    const records = services.db.records.$.subscribe((event) => changed(event.documentData.type !== 'audit'));
    const facilities = services.db.facilities.$.subscribe(() => changed(true));
    // Records may have arrived between the index's last page and this subscription.
    timer = setTimeout(() => void services.patients.catchUp(session).catch(() => undefined), catchUpDelayMs);
    stop = () => {
      clearTimeout(timer);
      records.unsubscribe();
      facilities.unsubscribe();
      stop = undefined;
    };
  }

  return {
    start,
    stop: () => stop?.(),
    onRecordsChanged(listener: () => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}
