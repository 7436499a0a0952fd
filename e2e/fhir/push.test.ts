import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferResult } from '../../app/contract/data-api';
import { startFhirServerProcess, type FhirServerProcess } from '../../tools/fhir/server/test-support';
import { createTestWorkstation, type TestWorkstation } from '../sync/harness';

/**
 * A push to a real FHIR server process (Medplum's router over a validating,
 * journaled repository, tools/fhir/server) from a workstation as composed in
 * production (its main process's FHIR client, the data worker's push on
 * RxDB's in-memory storage): the server killed mid-push as a power cut would
 * and started again; the push waits for it and goes on.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const types = ['Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Device', 'Patient', 'Encounter', 'Observation', 'Provenance'];

/** Every resource the server holds, as `Type/id` → JSON without the server's own meta. */
async function contents(server: FhirServerProcess): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (const type of types) {
    const bundle = (await (await fetch(`${server.url}${type}?_count=10000`)).json()) as Bundle;
    for (const entry of bundle.entry ?? []) {
      const { meta, ...resource } = entry.resource as Resource & { meta?: { profile?: string[] } };
      held.set(`${type}/${resource.id}`, JSON.stringify({ ...resource, profile: meta?.profile }));
    }
  }
  return held;
}

async function clinicOf(patients: number): Promise<TestWorkstation> {
  const workstation = await createTestWorkstation('push');
  cleanups.push(() => workstation.close());
  await workstation.vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
  if (workstation.vault.state.status !== 'unlocked') throw new Error('not unlocked');
  const userId = workstation.vault.state.session.userId;
  const drafts = [];
  for (let i = 0; i < patients; i++) {
    const patient = await workstation.vault.patients.register({ givenNames: `Baraka${i}`, familyName: 'Otieno', sex: i % 2 ? 'male' : 'female', estimatedAgeYears: 20 + (i % 60) });
    drafts.push({ id: `obs-push-${i}`, patientId: patient.id, kind: 'spo2', code: '59408-5', value: 90 + (i % 10), unit: '%', effectiveAt: '2026-11-21T10:00:00Z', recordedAt: '2026-11-21T10:00:05Z', recordedBy: userId, source: { type: 'manual' }, onOxygen: false });
  }
  await workstation.vault.observations.record(drafts);
  return workstation;
}

const server = async () => {
  const started = await startFhirServerProcess();
  cleanups.push(() => started.stop());
  return started;
};

function pushed(result: TransferResult) {
  if (result.destination !== 'server') throw new Error('not a push');
  return result;
}

describe('a push to a FHIR server', () => {
  it('goes on after the server is killed mid-push and started again: the server ends with what an uninterrupted push gives it, nothing doubled or lost', async () => {
    const workstation = await clinicOf(300);
    const steady = await server();
    const killed = await server();

    await workstation.api.call('fhirServer.set', { baseUrl: steady.url, auth: 'none' });
    const uninterrupted = pushed(await workstation.vault.fhirExport.push(workstation.api, { kind: 'all' }));
    expect(uninterrupted).toMatchObject({ patients: 300, refused: 0, unreadable: 0 });
    expect(uninterrupted.stored).toBe(uninterrupted.resources);

    await workstation.api.call('fhirServer.set', { baseUrl: killed.url, auth: 'none' });
    let restarting: Promise<void> | undefined;
    // The main process, as the push reaches it, counting the transactions that found no server.
    let unanswered = 0;
    const main = {
      call: (async (method: string, params: unknown) => {
        try {
          return await (workstation.api.call as (m: string, p: unknown) => Promise<unknown>)(method, params);
        } catch (error) {
          if (method === 'fhirServer.transaction') unanswered++;
          throw error;
        }
      }) as typeof workstation.api.call,
    };
    const result = pushed(
      await workstation.vault.fhirExport.push(main, { kind: 'all' }, (done) => {
        // Past the first page, the server dies; it comes back a moment later.
        if (done >= 100 && !restarting) restarting = killed.kill().then(() => killed.restart());
      }),
    );
    await restarting;
    expect(unanswered).toBeGreaterThan(0);
    expect(result).toMatchObject({ patients: 300, refused: 0 });
    expect(await contents(killed)).toEqual(await contents(steady));
    expect((await contents(killed)).size).toBe(uninterrupted.resources);
  }, 180_000);
});
