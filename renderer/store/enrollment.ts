import { requirePermission } from '../../app/auth/roles';
import type { ApiClient } from '../../app/contract/client';
import { ApiError } from '../../app/contract/errors';
import { codeCommitment, composeEnrollmentCode, EnrollmentCodeError, enrollmentProof, generateCodeSecret, type EnrollmentProof } from '../../app/enrollment/enrollment-code';
import { openEnrollmentPackage, sealEnrollmentPackage } from '../../app/enrollment/enrollment-package';
import type { NewStaff } from './keyring';
import type { LockState } from './lock-state';
import { StoreError } from './store-error';
import type { StoreServices } from './store-services';

/** The part of the main process's API the store uses to reach the hub. */
export type HubApi = Pick<ApiClient, 'call'>;

export interface HubEnrollmentInput {
  hubUrl: string;
  code: string;
  workstationName: string;
}

/** A workstation joining its clinic's hub, and an admin letting the next one join. */
export interface Enrollment {
  /**
   * A new workstation joins its clinic's hub with a one-time code. A code
   * with the clinic's key brings the clinic here (staff arrive by sync and
   * log in with their own passphrases); a code without one is for a
   * clinic's first workstation, which then sets the clinic up.
   */
  join(input: HubEnrollmentInput): Promise<'joined' | 'needs-setup'>;
  /**
   * Sets the clinic up on a workstation that enrolled with a keyless code,
   * under the hub's ids; refused when the hub already holds staff of this
   * clinic (its data key exists elsewhere: a second key would make two
   * clinics' worth of records nobody could read together).
   */
  setUpFirst(input: { clinicName: string } & Omit<NewStaff, 'role'>): Promise<{ recoveryKey: string }>;
  /**
   * Before a clinic is set up here: forgets the hub link, so a workstation
   * that enrolled with the wrong hub or code (a keyless code for a clinic
   * whose key is elsewhere) can join again. Once a clinic is set up the
   * link stays: its records sync through it.
   */
  leave(): Promise<void>;
  /** An admin links a clinic that started offline to the hub; the hub's admin created the clinic there with this clinic's id. */
  connect(input: HubEnrollmentInput): Promise<void>;
  /**
   * An admin makes a one-time code for the next workstation; the data key
   * travels with it, wrapped under the code's secret part, which never
   * leaves the workstations. The hub adds its own part (enrollment-code.ts).
   */
  issueCode(expiresInHours: number): Promise<{ code: string; expiresAt: string }>;
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

export function createEnrollment(services: StoreServices, lock: LockState, api: HubApi): Enrollment {
  const { keyring, workstations, audit } = services;

  async function refuseWhenSetUp(message: string): Promise<void> {
    if (await keyring.identity()) throw new StoreError('already_set_up', message);
  }

  return {
    async join(input) {
      await refuseWhenSetUp('A clinic is already set up on this workstation.');
      const codeProof = await proofOf(input.code);
      const enrolled = await api.call('hub.enroll', { hubUrl: input.hubUrl, codeProof, workstationName: input.workstationName });
      await workstations.rememberOwnName(input.workstationName);
      if (enrolled.wrappedKey === null) return 'needs-setup';
      const pack = await openEnrollmentPackage(enrolled.wrappedKey, input.code, enrolled.clinicId);
      await keyring.adoptClinic({ clinicId: enrolled.clinicId, clinicName: pack.clinicName, workstationId: enrolled.workstationId, recoveryWrap: pack.recoveryWrap });
      services.clock.setNode(enrolled.workstationId);
      lock.joined(pack.clinicName);
      return 'joined';
    },

    async setUpFirst(input) {
      const link = await api.call('hub.status', {});
      if (!link.linked) throw new StoreError('not_set_up', 'This workstation is not linked to a hub.');
      const answer = await api.call('hub.request', { method: 'GET', path: `/${link.databases.staff}` });
      const info = answer.status === 200 ? (JSON.parse(answer.body) as { doc_count?: unknown }) : undefined;
      if (typeof info?.doc_count !== 'number') {
        throw new ApiError({ code: 'unavailable', message: 'The hub could not be asked whether this clinic already has staff. Try again when the link is back.' });
      }
      if (info.doc_count > 0) throw new StoreError('clinic_on_hub', 'This clinic already has staff on the hub.');
      return lock.setupClinic(input, { clinicId: link.clinicId, workstationId: link.workstationId });
    },

    async leave() {
      await refuseWhenSetUp('A clinic is set up on this workstation, so its hub link stays.');
      const link = await api.call('hub.status', {});
      if (link.linked) await api.call('hub.unlink', { workstationId: link.workstationId });
      await workstations.forgetOwnName();
    },

    async connect(input) {
      const session = lock.requireSession();
      requirePermission(session, 'staff.manage');
      await api.call('hub.enroll', { hubUrl: input.hubUrl, codeProof: await proofOf(input.code), workstationName: input.workstationName, clinicId: session.clinicId });
      await workstations.rememberOwnName(input.workstationName);
      // Linked whatever happens here: a name not written now is written at the next unlock.
      await workstations.publishOwn(session).catch(() => undefined);
    },

    async issueCode(expiresInHours) {
      const session = lock.requireSession();
      requirePermission(session, 'staff.manage');
      const clinic = await keyring.identity();
      if (!clinic) throw new StoreError('not_set_up');
      const secretPart = generateCodeSecret();
      const pack = await sealEnrollmentPackage(session.dataKey, secretPart, clinic.clinicId, { clinicName: clinic.clinicName, recoveryWrap: clinic.recoveryWrap });
      const issued = await api.call('hub.issueCode', { codeCommitment: await codeCommitment(secretPart), wrappedKey: pack, expiresInHours });
      await audit.record(session, { kind: 'workstation.enroll-code', detail: { hours: expiresInHours } });
      return { code: composeEnrollmentCode(secretPart, issued.hubPart), expiresAt: issued.expiresAt };
    },
  };
}
