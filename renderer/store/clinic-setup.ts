import { generateDataKey, generateRecoveryKey, wrapWithPassphrase, wrapWithRecoveryKey } from '../../app/crypto/keys';
import { staffClaimsSchema, type StaffClaims } from '../../app/auth/staff-claims';
import { staffValidationKeys } from '../../app/auth/staff-input';
import { clinicIdentitySchema, type ClinicIdentity } from './documents';
import { newId } from './ids';
import type { LocalState } from './local-state';
import type { Session } from './session';
import { StoreError } from './store-error';
import { checkPassphrase, normalizeUsername, startSession, type KeyringSettings, type NewStaff, type StaffAccounts } from './staff-accounts';

const identityKey = 'clinic-identity';

/** This workstation's clinic: set up here (with its data key and recovery key) or adopted from an enrollment. */
export interface ClinicSetup {
  identity(): Promise<ClinicIdentity | undefined>;
  setupClinic(input: { clinicName: string } & Omit<NewStaff, 'role'>, ids?: { clinicId: string; workstationId: string }): Promise<{ session: Session; recoveryKey: string }>;
  adoptClinic(clinic: Omit<ClinicIdentity, 'formatVersion' | 'createdAt'>): Promise<void>;
}

/** The identity, for what cannot happen before a clinic exists (unlocking). */
export async function requireIdentity(clinicSetup: Pick<ClinicSetup, 'identity'>): Promise<ClinicIdentity> {
  const found = await clinicSetup.identity();
  if (!found) throw new StoreError('not_set_up', 'No clinic is set up on this workstation.');
  return found;
}

export function createClinicSetup(local: LocalState, accounts: StaffAccounts, settings: KeyringSettings): ClinicSetup {
  async function identity(): Promise<ClinicIdentity | undefined> {
    const text = await local.get(identityKey);
    return text === undefined ? undefined : clinicIdentitySchema.parse(JSON.parse(text));
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
        createdAt: new Date(settings.now()).toISOString(),
        recoveryWrap: await wrapWithRecoveryKey(dataKey, recoveryKey),
      };
      const base = { id: newId('user'), clinicId: clinic.clinicId, username, wrap: await wrapWithPassphrase(dataKey, input.passphrase, settings.iterations) };
      const claims: StaffClaims = { username, displayName: input.displayName.trim(), role: 'admin', disabled: false };
      await accounts.write(dataKey, base, staffClaimsSchema.parse(claims));
      await local.put(identityKey, JSON.stringify(clinic));
      return { session: startSession({ ...base, updatedAt: 0, hlc: '', claims: '' }, claims, clinic, dataKey), recoveryKey };
    },

    /** A workstation that joined through a hub: the clinic's identity as its enrollment package carried it. Its staff arrive by sync. */
    async adoptClinic(clinic: Omit<ClinicIdentity, 'formatVersion' | 'createdAt'>): Promise<void> {
      if (await identity()) throw new StoreError('already_set_up', 'A clinic is already set up on this workstation.');
      const adopted: ClinicIdentity = clinicIdentitySchema.parse({ formatVersion: 1, ...clinic, createdAt: new Date(settings.now()).toISOString() });
      await local.put(identityKey, JSON.stringify(adopted));
    },
  };
}
