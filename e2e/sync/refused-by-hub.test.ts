import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDataKey } from '../../app/crypto/keys';
import { sealRecord } from '../../app/records/sealed-record';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { createTestWorkstation, type TestWorkstation } from './harness';

// A document the hub will not store (here one naming another clinic, as a
// buggy workstation might write it) must not stop sync: what comes after it
// still reaches the hub, the refused one stays on the workstation, and the
// status says so.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let hub: HubProcess;
let a: TestWorkstation;

beforeAll(async () => {
  hub = await startHubProcess();
  const clinicId = hub.admin('create-clinic', '--name', 'Refusal clinic').stdout;
  a = await createTestWorkstation('Refused');
  expect(await a.vault.hub.join(a.api, { hubUrl: hub.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'Front desk' })).toBe('needs-setup');
  await a.vault.hub.setUpFirst(a.api, { clinicName: 'Refusal clinic', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  await a.startSync();
  await a.sync!.awaitInSync();
});

afterAll(async () => {
  await a?.close();
  await hub?.stop();
});

describe('a document the hub refuses', () => {
  it('stays on the workstation, is counted in the sync status, and does not hold back the changes after it', async () => {
    const link = await a.api.call('hub.status', {});
    if (!link.linked) throw new Error('not linked');
    const foreign = await sealRecord(
      await generateDataKey(),
      { id: 'foreign-1', type: 'patient', clinicId: `clinic-${'f'.repeat(32)}`, subject: 'foreign-1', updatedAt: Date.now(), hlc: `${String(Date.now()).padStart(15, '0')}-00000-${link.workstationId}`, deleted: false },
      { note: 'written by a buggy workstation' },
    );
    await a.db.records.insert(foreign);
    await a.sync!.awaitInSync();
    expect(a.sync!.status().refusedByHub).toBe(1);

    // Written after it: reaches the hub all the same.
    const patient = await a.vault.patients.register({ givenNames: 'Later', familyName: 'Patient', sex: 'female', birthDate: '1990-04-12' });
    await a.sync!.awaitInSync();
    const onHub = async (id: string) => (await a.api.call('hub.request', { method: 'GET', path: `/${link.databases.records}/${id}` })).status;
    expect(await onHub(patient.id)).toBe(200);
    expect(await onHub('foreign-1')).toBe(404);
    expect(await a.db.records.findOne('foreign-1').exec()).not.toBeNull();
    expect(a.sync!.status().refusedByHub).toBe(1);
  });
});
