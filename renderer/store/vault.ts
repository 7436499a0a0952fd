import { can, requirePermission, type Role } from '../../app/auth/roles';
import type { ApiClient } from '../../app/contract/client';
import { ApiError } from '../../app/contract/errors';
import { codeCommitment, composeEnrollmentCode, EnrollmentCodeError, enrollmentProof, generateCodeSecret, type EnrollmentProof } from '../../app/enrollment/enrollment-code';
import { openEnrollmentPackage, sealEnrollmentPackage } from '../../app/enrollment/enrollment-package';
import { openPayload, sealPayload } from '../../app/crypto/seal';
import { createHlcClock } from '../../app/records/hlc';
import { findEditAuthor, type EditAuthor } from '../../app/conflicts/edit-author';
import { startClinicSync, type ClinicSync } from '../../sync/client/clinic-sync';
import { createAuditLog } from './audit-log';
import { createClinicSettingsRepository } from './clinic-settings';
import { createConflictDesk } from './conflict-desk';
import { createConflictRepository, type ConflictChoice, type OpenConflict } from './conflicts';
import { attachConflictDesk, type ClinicDatabase } from './database';
import { staffAccountSchema } from '../../app/auth/staff-account';
import { createKeptAside } from './kept-aside';
import { createKeyring, type NewStaff } from './keyring';
import { createLocalState } from './local-state';
import type { IndexProgress } from './patient-index-cache';
import { createObservationRepository } from './observations';
import { createPatientRepository, type IndexReport } from './patients';
import type { Session } from './session';
import { StoreError } from './store-error';
import { createWorkstationDirectory } from './workstations';

/**
 * Why a workstation locked: a person's click, the idle time, or the
 * workstation service restarting under an open page (browser mode), after
 * which the page must not go on showing patient data.
 */
export type LockReason = 'user' | 'idle' | 'service-restart';

export type VaultState =
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

export interface VaultOptions {
  /** PBKDF2 iterations for new passphrase wraps (tests lower it). */
  iterations?: number;
  /** Tests replicate in one process without RxDB's leader election; a real window always elects. */
  syncWaitsForLeadership?: boolean;
  /** Pause after a failed sync attempt (the fault tests shorten it). */
  syncRetryMs?: number;
}

/** Who made one side of a conflict: the account (its name, if this workstation has the account) and the workstation. */
export interface ConflictAuthor extends EditAuthor {
  displayName: string | undefined;
}

/** An open conflict as the screens show it: each side with its author when the audit entries tell. */
export interface ConflictView extends OpenConflict {
  keptBy: ConflictAuthor | undefined;
  otherBy: ConflictAuthor | undefined;
}

/** The part of the typed API the store uses to reach the hub (through the main process). */
export type HubApi = Pick<ApiClient, 'call'>;

/** Records changed (by this workstation or arriving by sync) are applied to the search index this long after the last change. */
const catchUpDelayMs = 200;
const lastSyncedKey = 'last-synced-at';
const emptyStretchesKey = 'sync-empty-stretches';

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** A typed code that is not a code (or one of the older, shorter kind) is refused before the hub is asked. */
async function proofOf(code: string): Promise<EnrollmentProof> {
  try {
    return await enrollmentProof(code);
  } catch (error) {
    if (error instanceof EnrollmentCodeError) throw new StoreError('invalid', error.message, { code: error.code === 'old_code' ? 'sync.errors.old_code' : 'sync.errors.notACode' });
    throw error;
  }
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
  const clinicSettings = createClinicSettingsRepository(db, audit, { clock: { tick: () => clock.tick() } });
  // Arrivals from the hub that do not open are tested with the key the conflict desk holds while unlocked.
  const keptAside = createKeptAside(db, { key: () => conflictDesk.desk.key()?.dataKey });
  const conflictDesk = createConflictDesk(db, { clock: { tick: () => clock.tick() }, keepAside: (arrival) => keptAside.keep(arrival), keepAsideStaff: (arrival) => keptAside.keepStaff(arrival) });
  attachConflictDesk(db, conflictDesk.desk);
  const conflicts = createConflictRepository(db, audit, { clock: { tick: () => clock.tick() } });
  const workstations = createWorkstationDirectory(db, local, { clock: { tick: () => clock.tick() } });
  const listeners = new Set<(state: VaultState) => void>();
  const changeListeners = new Set<() => void>();
  let stopWatching: (() => void) | undefined;
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
    // The first unlock after enrollment names this workstation to the clinic. A
    // failed write costs only the name on other screens until the next unlock; it must not keep anyone out.
    await workstations.publishOwn(session).catch(() => undefined);
    conflictDesk.setSession(session);
    await conflictDesk.mergeParked(session);
    // Entries stay until checked, so a failure here is retried later; it must not keep anyone out.
    await keptAside.checkStoredWhileLocked(session).catch(() => undefined);
    watchChanges(session);
    setState({ status: 'unlocked', clinicName, session, index, recoveryKeyPending: await pendingRecoveryKey(session) });
  }

  /**
   * While unlocked, records that change (merged, or pulled from the hub while
   * someone works) reach the search index and the open screens shortly after.
   */
  function watchChanges(session: Session): void {
    stopWatching?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let screensAffected = false;
    const subscription = db.records.$.subscribe((event) => {
      // Audit entries change nothing a screen shows, and opening a chart writes
      // one (here, or on another workstation that then syncs it here): screens
      // refetching on them would refetch forever.
      if (event.documentData.type !== 'audit') screensAffected = true;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const notify = screensAffected;
        screensAffected = false;
        void patients
          .catchUp(session)
          .then(() => conflictDesk.mergeParked(session))
          // An arrival stored just as the workstation unlocked was remembered as while locked.
          .then(() => keptAside.checkStoredWhileLocked(session))
          .then(() => {
            if (notify) for (const listener of changeListeners) listener();
          })
          .catch(() => undefined);
      }, catchUpDelayMs);
    });
    stopWatching = () => {
      clearTimeout(timer);
      subscription.unsubscribe();
      stopWatching = undefined;
    };
  }

  function requireSession(): Session {
    if (state.status !== 'unlocked') throw new StoreError('locked', 'The workstation is locked.');
    return state.session;
  }

  async function setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>, hubIds?: { clinicId: string; workstationId: string }): Promise<{ recoveryKey: string }> {
    const { session, recoveryKey } = await keyring.setupClinic(input, hubIds);
    clock = createHlcClock(session.workstationId);
    // Kept sealed until confirmed, so a power cut before it was written down does not lose it.
    await local.put(pendingKey, await sealPayload(session.dataKey, pendingContext(session), recoveryKey));
    await open(session, input.clinicName.trim());
    return { recoveryKey };
  }

  return {
    get state() {
      return state;
    },
    subscribe: (listener: (state: VaultState) => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Records other than audit entries changed while unlocked (after the search index caught up): screens refetch. */
    onRecordsChanged: (listener: () => void): (() => void) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },

    /** `hubIds`: the clinic and workstation ids of the hub this workstation enrolled with before the clinic existed. */
    setupClinic,

    /** The admin has written the recovery key down: forget it for good. */
    async confirmRecoveryKeySaved(): Promise<void> {
      requireSession();
      await local.remove(pendingKey);
      if (state.status === 'unlocked') setState({ ...state, recoveryKeyPending: undefined });
    },

    /**
     * Unlocks; `onProgress` follows the opening of the records (slow only the
     * first time on a workstation). `newPassphrase` replaces a temporary one an
     * administrator set (the keyring refuses to unlock such an account without it).
     */
    async login(username: string, passphrase: string, onProgress?: IndexProgress, newPassphrase?: string): Promise<void> {
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

    async recover(recoveryKey: string, username: string, passphrase: string, onProgress?: IndexProgress): Promise<void> {
      const clinic = await keyring.identity();
      const session = await keyring.recover(recoveryKey, username, passphrase);
      await open(session, clinic?.clinicName ?? '', onProgress);
      await audit.record(session, { kind: 'staff.reset-passphrase', targetUserId: session.userId });
    },

    /** Locks now: by the user's choice, after the idle time, or because the workstation service restarted. */
    async lock(reason: LockReason = 'user'): Promise<void> {
      if (state.status !== 'unlocked') return;
      const { session, clinicName } = state;
      // The screens lose access at once; the key lives on only in this closure
      // until the index snapshot is sealed and the lock is audited.
      setState({ status: 'locked', clinicName, reason });
      stopWatching?.();
      conflictDesk.setSession(undefined);
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
      /** Who recorded what, for the chart's tables: display names by user id. */
      staffNames: async () => keyring.staffNames(requireSession()),
      setDisabled: async (userId: string, disabled: boolean) => {
        const session = requireSession();
        await keyring.setDisabled(session, userId, disabled);
        await audit.record(session, { kind: 'staff.disable', targetUserId: userId, detail: { disabled: disabled ? 1 : 0 } });
      },
      setRole: async (userId: string, role: Role) => {
        const session = requireSession();
        await keyring.setRole(session, userId, role);
        await audit.record(session, { kind: 'staff.role-change', targetUserId: userId });
      },
      resetPassphrase: async (userId: string, temporary: string) => {
        const session = requireSession();
        await keyring.resetPassphrase(session, userId, temporary);
        await audit.record(session, { kind: 'staff.reset-passphrase', targetUserId: userId });
      },
    },
    patients: {
      register: async (input: unknown) => patients.register(requireSession(), input),
      update: async (id: string, input: unknown) => patients.update(requireSession(), id, input),
      get: async (id: string) => patients.get(requireSession(), id),
      search: (query: string, limit?: number) => patients.search(requireSession(), query, limit),
      /** Charts this person opened in this session, newest first; forgotten at lock. */
      recent: () => patients.recent(requireSession()),
    },
    observations: {
      record: async (drafts: readonly unknown[]) => observations.record(requireSession(), drafts),
      forPatient: async (patientId: string) => observations.forPatient(requireSession(), patientId),
    },
    /** The clinic's settings record; refused while locked, changed only by an admin. */
    clinicSettings: {
      get: async () => clinicSettings.get(requireSession()),
      update: async (input: unknown) => clinicSettings.update(requireSession(), input),
    },
    /** The names of the clinic's workstations by workstation id (a clock value's node), for saying where a value was entered. */
    workstations: {
      names: async () => workstations.names(requireSession()),
    },
    conflicts: {
      /** Open conflicts, each side with who made it (from the replicated audit entries of the edits) when known. */
      list: async (patientId?: string): Promise<ConflictView[]> => {
        const session = requireSession();
        const open = await conflicts.list(session, patientId);
        if (open.length === 0) return [];
        const entries = await audit.aboutPatients(session, open.map((c) => c.patientId));
        const names = await keyring.staffNames(session);
        const by = (conflict: OpenConflict, hlc: string): ConflictAuthor | undefined => {
          const author = findEditAuthor(entries, conflict.patientId, hlc);
          return author && { ...author, displayName: Object.hasOwn(names, author.userId) ? names[author.userId] : undefined };
        };
        return open.map((conflict) => ({ ...conflict, keptBy: by(conflict, conflict.kept.hlc), otherBy: by(conflict, conflict.other.hlc) }));
      },
      resolve: async (conflictId: string, choice: ConflictChoice) => conflicts.resolve(requireSession(), conflictId, choice),
    },
    /** Versions from the hub that did not open, kept aside while this workstation kept its own (kept-aside.ts); for an administrator. */
    keptAside: {
      list: async () => keptAside.list(requireSession()),
      async dismiss(id: string) {
        const session = requireSession();
        await keptAside.dismiss(session, id);
        // Forgetting an arrival is a security review's outcome: who did it, and when, is kept.
        await audit.record(session, { kind: 'sync.arrival-dismiss', detail: { entry: id } });
      },
    },
    hub: {
      /**
       * A new workstation joins its clinic's hub with a one-time code. A code
       * with the clinic's key brings the clinic here (staff arrive by sync and
       * log in with their own passphrases); a code without one is for a
       * clinic's first workstation, which then sets the clinic up.
       */
      async join(api: HubApi, input: { hubUrl: string; code: string; workstationName: string }): Promise<'joined' | 'needs-setup'> {
        if (await keyring.identity()) throw new StoreError('already_set_up', 'A clinic is already set up on this workstation.');
        const codeProof = await proofOf(input.code);
        const enrolled = await api.call('hub.enroll', { hubUrl: input.hubUrl, codeProof, workstationName: input.workstationName });
        await workstations.rememberOwnName(input.workstationName);
        if (enrolled.wrappedKey === null) return 'needs-setup';
        const pack = await openEnrollmentPackage(enrolled.wrappedKey, input.code, enrolled.clinicId);
        await keyring.adoptClinic({ clinicId: enrolled.clinicId, clinicName: pack.clinicName, workstationId: enrolled.workstationId, recoveryWrap: pack.recoveryWrap });
        clock = createHlcClock(enrolled.workstationId);
        setState({ status: 'locked', clinicName: pack.clinicName, reason: 'start' });
        return 'joined';
      },

      /**
       * Sets the clinic up on a workstation that enrolled with a keyless code,
       * under the hub's ids; refused when the hub already holds staff of this
       * clinic (its data key exists elsewhere: a second key would make two
       * clinics' worth of records nobody could read together).
       */
      async setUpFirst(api: HubApi, input: { clinicName: string } & Omit<NewStaff, 'role'>): Promise<{ recoveryKey: string }> {
        const link = await api.call('hub.status', {});
        if (!link.linked) throw new StoreError('not_set_up', 'This workstation is not linked to a hub.');
        const answer = await api.call('hub.request', { method: 'GET', path: `/${link.databases.staff}` });
        const info = answer.status === 200 ? (JSON.parse(answer.body) as { doc_count?: unknown }) : undefined;
        if (typeof info?.doc_count !== 'number') {
          throw new ApiError({ code: 'unavailable', message: 'The hub could not be asked whether this clinic already has staff. Try again when the link is back.' });
        }
        if (info.doc_count > 0) throw new StoreError('clinic_on_hub', 'This clinic already has staff on the hub.');
        return setupClinic(input, { clinicId: link.clinicId, workstationId: link.workstationId });
      },

      /**
       * Before a clinic is set up here: forgets the hub link, so a workstation
       * that enrolled with the wrong hub or code (a keyless code for a clinic
       * whose key is elsewhere) can join again. Once a clinic is set up the
       * link stays: its records sync through it.
       */
      async leave(api: HubApi): Promise<void> {
        if (await keyring.identity()) throw new StoreError('already_set_up', 'A clinic is set up on this workstation, so its hub link stays.');
        const link = await api.call('hub.status', {});
        if (link.linked) await api.call('hub.unlink', { workstationId: link.workstationId });
        await workstations.forgetOwnName();
      },

      /** An admin links a clinic that started offline to the hub; the hub's admin created the clinic there with this clinic's id. */
      async connect(api: HubApi, input: { hubUrl: string; code: string; workstationName: string }): Promise<void> {
        const session = requireSession();
        requirePermission(session, 'staff.manage');
        await api.call('hub.enroll', { hubUrl: input.hubUrl, codeProof: await proofOf(input.code), workstationName: input.workstationName, clinicId: session.clinicId });
        await workstations.rememberOwnName(input.workstationName);
        // Linked whatever happens here: a name not written now is written at the next unlock.
        await workstations.publishOwn(session).catch(() => undefined);
      },

      /**
       * An admin makes a one-time code for the next workstation; the data key
       * travels with it, wrapped under the code's secret part, which never
       * leaves the workstations. The hub adds its own part (enrollment-code.ts).
       */
      async issueCode(api: HubApi, expiresInHours: number): Promise<{ code: string; expiresAt: string }> {
        const session = requireSession();
        requirePermission(session, 'staff.manage');
        const clinic = await keyring.identity();
        if (!clinic) throw new StoreError('not_set_up');
        const secretPart = generateCodeSecret();
        const pack = await sealEnrollmentPackage(session.dataKey, secretPart, clinic.clinicId, { clinicName: clinic.clinicName, recoveryWrap: clinic.recoveryWrap });
        const issued = await api.call('hub.issueCode', { codeCommitment: await codeCommitment(secretPart), wrappedKey: pack, expiresInHours });
        await audit.record(session, { kind: 'workstation.enroll-code', detail: { hours: expiresInHours } });
        return { code: composeEnrollmentCode(secretPart, issued.hubPart), expiresAt: issued.expiresAt };
      },

      /** Starts replication when this workstation is linked to a hub of this clinic; runs while locked too. */
      async startSync(api: HubApi): Promise<ClinicSync | undefined> {
        const link = await api.call('hub.status', {});
        const clinic = await keyring.identity();
        if (!link.linked || !clinic || clinic.clinicId !== link.clinicId) return undefined;
        const last = Number(await local.get(lastSyncedKey));
        const stretches = await local.get(emptyStretchesKey);
        return startClinicSync({
          records: db.records,
          staff: db.staff,
          staffSchema: staffAccountSchema,
          hubId: link.hubId,
          databases: link.databases,
          call: (request) => api.call('hub.request', request),
          clockNode: clinic.workstationId,
          observeClock: (hlc) => {
            try {
              clock.observe(hlc);
            } catch {
              // A clock value from another version's format orders nothing here; the record itself was validated.
            }
          },
          lastSyncedAt: Number.isFinite(last) && last > 0 ? last : null,
          guardPulledRecord: (arrival) => keptAside.guardPulled(arrival),
          guardPulledStaff: (arrival) => keptAside.guardPulledStaff(arrival),
          saveLastSyncedAt: (ms) => void local.put(lastSyncedKey, String(ms)).catch(() => undefined),
          // Checked against its schema by the sync client; a damaged entry only means one full rescan.
          emptyStretches: { saved: parseJson(stretches), save: (value) => void local.put(emptyStretchesKey, JSON.stringify(value)).catch(() => undefined) },
          waitForLeadership: options.syncWaitsForLeadership ?? true,
          ...(options.syncRetryMs !== undefined ? { retryTimeMs: options.syncRetryMs } : {}),
        });
      },
    },
    audit: {
      list: async (filter?: Parameters<typeof audit.list>[1]) => audit.list(requireSession(), filter),
      verify: async () => audit.verify(requireSession()),
      /** Names and clinic numbers of the patients entries name, resolved now (never stored in an entry); needs patient.read. */
      patientLabels: (ids: readonly string[]) => patients.labels(requireSession(), ids),
    },
  };
}
export type Vault = Awaited<ReturnType<typeof createVault>>;
