import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hmacHex } from '../../app/deid/deid-engine';
import { clinicOdhSecrets, deidKeys } from '../../app/deid/deid-keys';
import { patientFhirIdOf } from '../../app/fhir/patient';
import { startHubProcess, type HubProcess } from '../../sync/hub/test-support';
import { findLeaks } from '../../tools/deid/phi-checker';
import { createTestWorkstation, type TestWorkstation } from '../sync/harness';

// The whole path of a contribution: consent recorded on the chart for some
// patients and not others; an admin contributes with the hub out of reach,
// so the main process's queue keeps it; the hub comes back and its Open Data
// Hub holds the consenting patients, de-identified, and nothing of the
// others; a withdrawal removes that patient's data from the ODH.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

type Json = Record<string, unknown>;

let hub: HubProcess;
let a: TestWorkstation;
let reader: string;

const consenting = [
  { givenNames: 'Amina', familyName: 'Diallo', sex: 'female', birthDate: '1988-04-12' },
  { givenNames: 'Neema', familyName: 'Kweka', sex: 'female', birthDate: '1991-02-03' },
  { givenNames: 'Zuhura', familyName: 'Mollel', sex: 'female', birthDate: '1979-09-30' },
  { givenNames: 'Faraja', familyName: 'Lyimo', sex: 'male', birthDate: '1984-06-21' },
  { givenNames: 'Baraka', familyName: 'Mushi', sex: 'male', birthDate: '1970-01-15' },
  { givenNames: 'Upendo', familyName: 'Swai', sex: 'female', birthDate: '2001-11-08' },
];
const declining = { givenNames: 'Tumaini', familyName: 'Kimaro', sex: 'male', birthDate: '1965-03-03' };

const ndjson = async (type: string): Promise<Json[]> => {
  const response = await fetch(`${hub.url}_odh/export/${type}.ndjson`, { headers: { Authorization: `Bearer ${reader}` } });
  return (await response.text()).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json);
};

async function pseudonymOf(patientId: string): Promise<string> {
  if (a.vault.state.status !== 'unlocked') throw new Error('locked');
  const keys = await deidKeys(await clinicOdhSecrets(a.vault.state.session.dataKey));
  return hmacHex(keys.hash, await patientFhirIdOf({ id: patientId }));
}

async function delivered(count: number): Promise<void> {
  await expect.poll(async () => (await a.api.call('odh.status', {})).delivered, { timeout: 30_000, interval: 250 }).toBe(count);
  expect((await a.api.call('odh.status', {})).waiting).toBe(0);
}

beforeAll(async () => {
  hub = await startHubProcess();
  const clinicId = hub.admin('create-clinic', '--name', 'Kisiwa clinic').stdout;
  reader = hub.admin('odh-reader', '--name', 'District health office').stdout;
  a = await createTestWorkstation('Odh');
  expect(await a.vault.hub.join(a.api, { hubUrl: hub.url, code: hub.admin('issue-code', '--clinic', clinicId).stdout, workstationName: 'Front desk' })).toBe('needs-setup');
  await a.vault.hub.setUpFirst(a.api, { clinicName: 'Kisiwa clinic', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
});

afterAll(async () => {
  await a?.close();
  await hub?.stop();
});

describe('a contribution to the Open Data Hub', () => {
  const ids: string[] = [];
  let declinedId = '';

  it('sends only consenting patients, de-identified, and waits in the queue while the hub is away', async () => {
    if (a.vault.state.status !== 'unlocked') throw new Error('locked');
    const userId = a.vault.state.session.userId;
    for (const person of [...consenting, declining]) {
      const patient = await a.vault.patients.register(person);
      await a.vault.observations.record([{ id: `obs-${patient.id}`, patientId: patient.id, kind: 'spo2', code: '59408-5', value: 97, unit: '%', effectiveAt: '2026-11-21T10:00:00Z', recordedAt: '2026-11-21T10:00:05Z', recordedBy: userId, source: { type: 'manual' }, onOxygen: false }]);
      if (person === declining) {
        declinedId = patient.id;
        await a.vault.consents.record(patient.id, { status: 'declined', date: '2026-11-21' });
      } else {
        ids.push(patient.id);
        await a.vault.consents.record(patient.id, { status: 'active', date: '2026-11-21' });
      }
    }

    await hub.kill();
    const result = await a.vault.odh.contribute(a.api, { profile: 'odh' });
    expect(result).toMatchObject({ patients: 6, heldBackPatients: 0, submissions: 1, withdrawals: 0, safeHarbor: false });
    expect(result.kReached).toBeGreaterThanOrEqual(5);
    // Tried at once, not reached: it waits, saying why.
    await expect.poll(async () => (await a.api.call('odh.status', {})).items[0]?.problem, { timeout: 10_000 }).toMatch(/cannot be reached/);
    expect(await a.api.call('odh.status', {})).toMatchObject({ waiting: 1, delivered: 0 });

    await hub.restart();
    await delivered(1);
    const status = await a.api.call('odh.status', {});
    expect(status.items[0]!.receipt).toMatch(/^[0-9a-f]{32}$/);

    const onHub = new Set((await ndjson('Patient')).map((patient) => patient['id']));
    for (const id of ids) expect(onHub.has(await pseudonymOf(id))).toBe(true);
    expect(onHub.has(await pseudonymOf(declinedId))).toBe(false);
    expect(onHub.size).toBe(6);
    const observations = await ndjson('Observation');
    expect(observations).toHaveLength(6);
    const identifying = [...consenting, declining].flatMap((person) => [person.givenNames, person.familyName, person.birthDate]);
    expect(findLeaks([await ndjson('Patient'), observations, await ndjson('Encounter')], [...identifying, ...ids, declinedId])).toEqual([]);
    const audited = await a.vault.audit.list({ kinds: ['odh.contribute'] });
    expect(audited).toHaveLength(1);
  });

  it('removes a patient who withdrew from the Open Data Hub, and keeps the others', async () => {
    const [withdrawing] = ids;
    await a.vault.consents.record(withdrawing!, { status: 'withdrawn', date: '2026-12-01' });
    const result = await a.vault.odh.contribute(a.api, { profile: 'odh' });
    expect(result).toMatchObject({ patients: 5, withdrawals: 1 });
    await delivered(3);
    const gone = await pseudonymOf(withdrawing!);
    const patients = (await ndjson('Patient')).map((patient) => patient['id']);
    expect(patients).not.toContain(gone);
    expect(patients).toHaveLength(5);
    expect((await ndjson('Observation')).some((observation) => (observation['subject'] as Json)['reference'] === `Patient/${gone}`)).toBe(false);
    expect(await a.vault.audit.list({ kinds: ['odh.withdraw'] })).toHaveLength(1);
  });
});
