import { contributeToOdh, type OdhContributionOptions, type OdhContributionResult } from './odh-contribution';
import type { Consent } from '../../app/consents/consent';
import type { DirectoryEntry } from '../../app/facilities/directory-entry';
import type { FacilityOverride } from '../../app/facilities/facility-override';
import type { Referral, ReferralStatus } from '../../app/referrals/referral';
import type { Role } from '../../app/auth/roles';
import { findEditAuthor } from '../../app/conflicts/edit-author';
import type { ConflictAuthor, ConflictChoice, ConflictView, KeptAsideArrival, LockReason, StaffSummary } from '../../app/contract/data-api';
import type { AuditFilter } from '../../app/audit/audit-filter';
import type { AuditEntry, ChainVerdict } from '../../app/audit/hash-chain';
import type { Patient } from '../../app/patients/patient';
import type { RecordedObservation } from '../../app/observations/observation';
import type { ClinicSettings } from '../../app/settings/clinic-settings';
import type { PatientSearchEntry, PatientSearchHit } from '../../app/search/patient-index';
import type { ClinicSync } from '../../sync/client/clinic-sync';
import type { ClinicSettingsState } from './clinic-settings';
import type { OpenConflict } from './conflicts';
import type { ClinicDatabase } from './database';
import { createEnrollment, type HubApi, type HubEnrollmentInput } from './enrollment';
import type { NewStaff } from './keyring';
import { createLockState, type KeyedVaultState, type LockState } from './lock-state';
import { createStoreServices, type StoreServices } from './store-services';
import { startStoreSync } from './sync-start';
import { createFhirTransfers, type FhirTransfers } from './fhir-transfers';
import { createFhirImport, type FhirImport } from './fhir-import';

export type { HubApi } from './enrollment';
export type { KeyedVaultState } from './lock-state';

export interface VaultOptions {
  /** PBKDF2 iterations for new passphrase wraps (tests lower it). */
  iterations?: number;
  /** Tests replicate in one process without RxDB's leader election; a real window always elects. */
  syncWaitsForLeadership?: boolean;
  /** Pause after a failed sync attempt (the fault tests shorten it). */
  syncRetryMs?: number;
  /**
   * Whether someone is using the screens now (the data worker: a call from
   * them in the last few seconds). A pull stores in small batches while they
   * are, so a search waits little, and in larger ones otherwise. Taken as yes
   * when not given.
   */
  screensInUse?: () => boolean;
}

/**
 * The encrypted store as the data worker serves it: the lock state, and per
 * kind of record the operations allowed to the unlocked session. Locking
 * drops the session, the data key and the search index; nothing decrypted
 * outlives it here.
 */
export interface Vault extends Pick<LockState, 'subscribe' | 'onRecordsChanged' | 'setupClinic' | 'confirmRecoveryKeySaved' | 'login' | 'recover'> {
  readonly state: KeyedVaultState;
  lock(reason?: LockReason): Promise<void>;
  keyring: StaffOperations;
  patients: PatientOperations;
  observations: {
    record(drafts: readonly unknown[]): Promise<RecordedObservation[]>;
    forPatient(patientId: string): Promise<{ observations: RecordedObservation[]; unreadable: number }>;
  };
  /** The hub's facility directory as last pulled (facilities.ts), and the clinic's own statements about it (facility-overrides.ts), for any unlocked session; only administrators add statements. */
  facilities: {
    list(): Promise<DirectoryEntry[]>;
    overrides(): Promise<{ overrides: FacilityOverride[]; unreadable: number }>;
    override(input: unknown): Promise<FacilityOverride>;
  };
  /** Patients' research-use decisions, from the chart (consents.ts). */
  consents: {
    record(patientId: string, input: unknown): Promise<Consent>;
    forPatient(patientId: string): Promise<{ consents: Consent[]; unreadable: number }>;
  };
  /** Patients referred to other facilities, and how each referral went, from the chart (referrals.ts). */
  referrals: {
    make(patientId: string, input: unknown): Promise<Referral>;
    recordStatus(referralId: string, input: unknown): Promise<ReferralStatus>;
    forPatient(patientId: string): Promise<{ referrals: Referral[]; statuses: ReferralStatus[]; unreadable: number }>;
  };
  /** The clinic's settings record; refused while locked, changed only by an admin. */
  clinicSettings: { get(): Promise<ClinicSettingsState>; update(input: unknown): Promise<ClinicSettings> };
  /** The names of the clinic's workstations by workstation id (a clock value's node), for saying where a value was entered. */
  workstations: { names(): Promise<Record<string, string>> };
  /** An admin's FHIR exports and pushes, one at a time (fhir-transfers.ts). */
  fhirExport: FhirTransfers;
  /** An admin's FHIR import: preview, then write (fhir-import.ts). */
  fhirImport: FhirImport;
  /** An admin's contribution to the Open Data Hub: consenting patients de-identified, withdrawals, into the main process's queue (odh-contribution.ts). */
  odh: { contribute(main: HubApi, options: OdhContributionOptions): Promise<OdhContributionResult> };
  conflicts: {
    /** Open conflicts, each side with who made it (from the replicated audit entries of the edits) when known. */
    list(patientId?: string): Promise<ConflictView[]>;
    resolve(conflictId: string, choice: ConflictChoice): Promise<void>;
  };
  /** Versions from the hub that did not open, kept aside while this workstation kept its own (kept-aside.ts); for an administrator. */
  keptAside: { list(): Promise<KeptAsideArrival[]>; dismiss(id: string): Promise<void> };
  hub: {
    join(api: HubApi, input: HubEnrollmentInput): Promise<'joined' | 'needs-setup'>;
    setUpFirst(api: HubApi, input: { clinicName: string } & Omit<NewStaff, 'role'>): Promise<{ recoveryKey: string }>;
    leave(api: HubApi): Promise<void>;
    connect(api: HubApi, input: HubEnrollmentInput): Promise<void>;
    issueCode(api: HubApi, expiresInHours: number): Promise<{ code: string; expiresAt: string }>;
    /** Starts replication when this workstation is linked to a hub of this clinic; runs while locked too. */
    startSync(api: HubApi): Promise<ClinicSync | undefined>;
  };
  audit: {
    list(filter?: AuditFilter): Promise<AuditEntry[]>;
    verify(): Promise<ChainVerdict>;
    /** Names and clinic numbers of the patients entries name, resolved now (never stored in an entry); needs patient.read. */
    patientLabels(ids: readonly string[]): Map<string, Readonly<PatientSearchEntry>>;
  };
}

export interface StaffOperations {
  changePassphrase(current: string, next: string): Promise<void>;
  addStaff(input: NewStaff): Promise<StaffSummary>;
  listStaff(): Promise<StaffSummary[]>;
  /** Who recorded what, for the chart's tables: display names by user id. */
  staffNames(): Promise<Record<string, string>>;
  setDisabled(userId: string, disabled: boolean): Promise<void>;
  setRole(userId: string, role: Role): Promise<void>;
  resetPassphrase(userId: string, temporary: string): Promise<void>;
}

export interface PatientOperations {
  register(input: unknown): Promise<Patient>;
  update(id: string, input: unknown): Promise<Patient>;
  get(id: string): Promise<Patient>;
  search(query: string, limit?: number): PatientSearchHit[];
  /** Charts this person opened in this session, newest first; forgotten at lock. */
  recent(): Readonly<PatientSearchEntry>[];
}

export async function createVault(db: ClinicDatabase, options: VaultOptions = {}): Promise<Vault> {
  const services = createStoreServices(db, { iterations: options.iterations });
  const lock = await createLockState(services);
  const session = () => lock.requireSession();
  const transfers = createFhirTransfers(services, session);
  const fhirImport = createFhirImport(services, session);
  // The key an export decrypts with goes with the session that started it, however the session ends;
  // so do the files an import was reading (an import writing stops at its next batch, its journal kept).
  lock.subscribe((state) => {
    if (state.status !== 'unlocked') {
      transfers.suspend();
      fhirImport.discard();
    }
  });
  const { patients, observations, consents, referrals, facilities, facilityOverrides, clinicSettings, workstations, audit } = services;
  const enrollment = (api: HubApi) => createEnrollment(services, lock, api);
  return {
    get state() {
      return lock.state;
    },
    subscribe: (listener) => lock.subscribe(listener),
    onRecordsChanged: (listener) => lock.onRecordsChanged(listener),
    setupClinic: (input, hubIds) => lock.setupClinic(input, hubIds),
    confirmRecoveryKeySaved: () => lock.confirmRecoveryKeySaved(),
    login: (username, passphrase, onProgress, newPassphrase) => lock.login(username, passphrase, onProgress, newPassphrase),
    recover: (recoveryKey, username, passphrase, onProgress) => lock.recover(recoveryKey, username, passphrase, onProgress),
    lock: (reason) => lock.lock(reason),
    keyring: staffOperations(services, lock),
    patients: {
      register: async (input) => patients.register(session(), input),
      update: async (id, input) => patients.update(session(), id, input),
      get: async (id) => patients.get(session(), id),
      search: (query, limit) => patients.search(session(), query, limit),
      recent: () => patients.recent(session()),
    },
    observations: {
      record: async (drafts) => observations.record(session(), drafts),
      forPatient: async (patientId) => observations.forPatient(session(), patientId),
    },
    facilities: {
      list: async () => {
        session();
        return facilities.list();
      },
      overrides: async () => facilityOverrides.all(session()),
      override: async (input) => facilityOverrides.record(session(), input),
    },
    consents: {
      record: async (patientId, input) => consents.record(session(), patientId, input),
      forPatient: async (patientId) => consents.forPatient(session(), patientId),
    },
    referrals: {
      make: async (patientId, input) => referrals.make(session(), patientId, input),
      recordStatus: async (referralId, input) => referrals.recordStatus(session(), referralId, input),
      forPatient: async (patientId) => referrals.forPatient(session(), patientId),
    },
    clinicSettings: {
      get: async () => clinicSettings.get(session()),
      update: async (input) => clinicSettings.update(session(), input),
    },
    workstations: { names: async () => workstations.names(session()) },
    fhirExport: transfers,
    fhirImport,
    odh: { contribute: async (main, options) => contributeToOdh(services, session(), main, options) },
    conflicts: conflictOperations(services, lock),
    keptAside: keptAsideOperations(services, lock),
    hub: {
      join: (api, input) => enrollment(api).join(input),
      setUpFirst: (api, input) => enrollment(api).setUpFirst(input),
      leave: (api) => enrollment(api).leave(),
      connect: (api, input) => enrollment(api).connect(input),
      issueCode: (api, hours) => enrollment(api).issueCode(hours),
      startSync: (api) => startStoreSync(services, api, { waitForLeadership: options.syncWaitsForLeadership, retryMs: options.syncRetryMs, ...(options.screensInUse ? { screensInUse: options.screensInUse } : {}) }),
    },
    audit: {
      list: async (filter) => audit.list(session(), filter),
      verify: async () => audit.verify(session()),
      patientLabels: (ids) => patients.labels(session(), ids),
    },
  };
}

/** Every change to an account is audited beside it. */
function staffOperations({ keyring, audit }: StoreServices, lock: LockState): StaffOperations {
  const session = () => lock.requireSession();
  return {
    changePassphrase: async (current, next) => keyring.changePassphrase(session(), current, next),
    async addStaff(input) {
      const by = session();
      const added = await keyring.addStaff(by, input);
      await audit.record(by, { kind: 'staff.create', targetUserId: added.id });
      return added;
    },
    listStaff: async () => keyring.listStaff(session()),
    staffNames: async () => keyring.staffNames(session()),
    async setDisabled(userId, disabled) {
      const by = session();
      await keyring.setDisabled(by, userId, disabled);
      await audit.record(by, { kind: 'staff.disable', targetUserId: userId, detail: { disabled: disabled ? 1 : 0 } });
    },
    async setRole(userId, role) {
      const by = session();
      await keyring.setRole(by, userId, role);
      await audit.record(by, { kind: 'staff.role-change', targetUserId: userId });
    },
    async resetPassphrase(userId, temporary) {
      const by = session();
      await keyring.resetPassphrase(by, userId, temporary);
      await audit.record(by, { kind: 'staff.reset-passphrase', targetUserId: userId });
    },
  };
}

function conflictOperations({ conflicts, audit, keyring }: StoreServices, lock: LockState): Vault['conflicts'] {
  return {
    async list(patientId) {
      const session = lock.requireSession();
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
    resolve: async (conflictId, choice) => conflicts.resolve(lock.requireSession(), conflictId, choice),
  };
}

function keptAsideOperations({ keptAside, audit }: StoreServices, lock: LockState): Vault['keptAside'] {
  return {
    list: async () => keptAside.list(lock.requireSession()),
    async dismiss(id) {
      const session = lock.requireSession();
      await keptAside.dismiss(session, id);
      // Forgetting an arrival is a security review's outcome: who did it, and when, is kept.
      await audit.record(session, { kind: 'sync.arrival-dismiss', detail: { entry: id } });
    },
  };
}
