import type { z } from 'zod';
import type { DataApi, DataMethod, DataResult, SessionSummary, VaultState } from '../../app/contract/data-api';
import type { Session } from '../store/session';
import type { HubApi, KeyedVaultState, Vault } from '../store/vault';

/** What a handler may do beyond answering: report progress (only methods declared with progress do). */
export interface CallContext {
  progress(done: number, total: number): void;
}

/** One handler per method of the data contract, each taking its parsed params. */
export type DataHandlers = {
  [M in DataMethod]: (params: z.output<DataApi[M]['params']>, context: CallContext) => Promise<DataResult<M>> | DataResult<M>;
};

/** What the screens may know of who is working: everything but the key. */
export function sessionSummary(session: Session): SessionSummary {
  const { userId, username, displayName, role, disabled, clinicId, workstationId } = session;
  return { userId, username, displayName, role, disabled, clinicId, workstationId };
}

export function publicState(state: KeyedVaultState): VaultState {
  if (state.status !== 'unlocked') return state;
  const { clinicName, session, index, recoveryKeyPending } = state;
  return { status: 'unlocked', clinicName, session: sessionSummary(session), index, ...(recoveryKeyPending === undefined ? {} : { recoveryKeyPending }) };
}

/**
 * The data contract served by the vault. `hub` reaches the main process;
 * `linkChanged` tells the sync lifecycle that the hub link may have changed
 * (a clinic that started offline was connected), so sync starts again.
 */
export function createDataHandlers(vault: Vault, hub: HubApi, linkChanged: () => void): DataHandlers {
  const done = {};
  return {
    'vault.setupClinic': (input) => vault.setupClinic(input),
    'vault.confirmRecoveryKeySaved': async () => (await vault.confirmRecoveryKeySaved(), done),
    'vault.login': async ({ username, passphrase, newPassphrase }, context) => (await vault.login(username, passphrase, (d, t) => context.progress(d, t), newPassphrase), done),
    'vault.recover': async ({ recoveryKey, username, passphrase }, context) => (await vault.recover(recoveryKey, username, passphrase, (d, t) => context.progress(d, t)), done),
    'vault.lock': async ({ reason }) => (await vault.lock(reason), done),

    'staff.changePassphrase': async ({ current, next }) => (await vault.keyring.changePassphrase(current, next), done),
    'staff.add': (input) => vault.keyring.addStaff(input),
    'staff.list': () => vault.keyring.listStaff(),
    'staff.names': () => vault.keyring.staffNames(),
    'staff.setDisabled': async ({ userId, disabled }) => (await vault.keyring.setDisabled(userId, disabled), done),
    'staff.setRole': async ({ userId, role }) => (await vault.keyring.setRole(userId, role), done),
    'staff.resetPassphrase': async ({ userId, temporary }) => (await vault.keyring.resetPassphrase(userId, temporary), done),

    'patients.register': ({ input }) => vault.patients.register(input),
    'patients.update': ({ id, input }) => vault.patients.update(id, input),
    'patients.get': ({ id }) => vault.patients.get(id),
    'patients.search': ({ query, limit }) => vault.patients.search(query, limit),
    'patients.recent': () => vault.patients.recent(),
    'patients.labels': ({ ids }) => Object.fromEntries(vault.audit.patientLabels(ids)),

    'observations.record': async ({ drafts }) => ({ recorded: (await vault.observations.record(drafts)).length }),
    'observations.forPatient': ({ patientId }) => vault.observations.forPatient(patientId),
    'facilities.list': () => vault.facilities.list(),
    'facilities.overrides': () => vault.facilities.overrides(),
    'facilities.override': ({ input }) => vault.facilities.override(input),
    'consents.record': ({ patientId, input }) => vault.consents.record(patientId, input),
    'consents.forPatient': ({ patientId }) => vault.consents.forPatient(patientId),
    'referrals.make': ({ patientId, input }) => vault.referrals.make(patientId, input),
    'referrals.recordStatus': ({ referralId, input }) => vault.referrals.recordStatus(referralId, input),
    'referrals.forPatient': ({ patientId }) => vault.referrals.forPatient(patientId),

    'clinicSettings.get': () => vault.clinicSettings.get(),
    'clinicSettings.update': ({ input }) => vault.clinicSettings.update(input),
    'workstations.names': () => vault.workstations.names(),

    'conflicts.list': ({ patientId }) => vault.conflicts.list(patientId),
    'conflicts.resolve': async ({ conflictId, choice }) => (await vault.conflicts.resolve(conflictId, choice), done),
    'keptAside.list': () => vault.keptAside.list(),
    'keptAside.dismiss': async ({ id }) => (await vault.keptAside.dismiss(id), done),

    'audit.list': ({ filter }) => vault.audit.list(filter),
    'audit.verify': () => vault.audit.verify(),

    'hub.join': (input) => vault.hub.join(hub, input),
    'hub.setUpFirst': (input) => vault.hub.setUpFirst(hub, input),
    'hub.leave': async () => (await vault.hub.leave(hub), done),
    'hub.connect': async (input) => {
      await vault.hub.connect(hub, input);
      linkChanged();
      return done;
    },
    'hub.issueCode': ({ expiresInHours }) => vault.hub.issueCode(hub, expiresInHours),
    'export.run': (request, context) => vault.fhirExport.run(hub, request, (d, t) => context.progress(d, t)),
    'push.run': ({ scope }, context) => vault.fhirExport.push(hub, scope, (d, t) => context.progress(d, t)),
    'export.status': () => {
      const { running, waiting } = vault.fhirExport.status();
      return { running: running ?? null, waiting: waiting ?? null };
    },
    'export.changedSince': async ({ destination }) => ({ since: (await vault.fhirExport.changedSince(destination)) ?? null }),
    'export.interrupted': async () => ({ interrupted: (await vault.fhirExport.interrupted()) ?? null }),
    'export.resume': (_none, context) => vault.fhirExport.resume(hub, (d, t) => context.progress(d, t)),
    'export.discard': async () => (await vault.fhirExport.discard(), done),
    'export.cancel': () => (vault.fhirExport.cancel(), done),
    'hl7.run': (request, context) => vault.fhirExport.hl7(hub, request, (d, t) => context.progress(d, t)),
    'odh.contribute': ({ profile }, context) => vault.odh.contribute(hub, { profile, onProgress: (d, t) => context.progress(d, t) }),

    'import.open': ({ files }) => (vault.fhirImport.open(files), done),
    'import.append': ({ file, text, last }) => (vault.fhirImport.append(file, text, last), done),
    'import.preview': (_none, context) => vault.fhirImport.preview((d, t) => context.progress(d, t)),
    'import.commit': (_none, context) => vault.fhirImport.commit((d, t) => context.progress(d, t)),
    'import.discard': () => (vault.fhirImport.discard(), done),
    'import.interrupted': async () => ({ interrupted: (await vault.fhirImport.interrupted()) ?? null }),
  };
}
