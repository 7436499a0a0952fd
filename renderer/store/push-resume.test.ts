import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../app/contract/client';
import { ApiError } from '../../app/contract/errors';
import { adminVault, closeTestStores, spo2Draft } from './test-support';

afterEach(closeTestStores);

/** The main process's FHIR side in memory: a server keeping each PUT resource by `Type/id`, that can fail the Nth transaction. */
function memoryServer() {
  const held = new Map<string, string>();
  const control = { failAt: Number.POSITIVE_INFINITY, sent: 0 };
  const call = ((method: string, params: { bundle?: string }) => {
    if (method === 'fhirServer.get') return Promise.resolve({ configured: true, baseUrl: 'https://fhir.district.example/r4', auth: 'none' });
    if (method !== 'fhirServer.transaction') return Promise.reject(new Error(`not served here: ${method}`));
    control.sent++;
    if (control.sent === control.failAt) return Promise.reject(new ApiError({ code: 'internal', message: 'the workstation service failed' }));
    const bundle = JSON.parse(params.bundle ?? '{}') as { entry: { resource: { resourceType: string; id: string } }[] };
    for (const { resource } of bundle.entry) held.set(`${resource.resourceType}/${resource.id}`, JSON.stringify(resource));
    return Promise.resolve({ stored: true, entries: bundle.entry.map(() => ({ status: '200 OK' })) });
  }) as ApiClient['call'];
  return { main: { call }, held, control };
}

async function clinic() {
  const { vault, userId } = await adminVault();
  const drafts = [];
  for (let i = 0; i < 150; i++) {
    const patient = await vault.patients.register({ givenNames: `Neema${i}`, familyName: 'Wanjiru', sex: 'female', estimatedAgeYears: 25 + (i % 40) });
    drafts.push(spo2Draft(patient.id, userId, 90 + (i % 10), `obs-r${i}`));
  }
  await vault.observations.record(drafts);
  return vault;
}

/** Until nothing runs and nothing is left to carry on (or five seconds). */
const settled = async (vault: Awaited<ReturnType<typeof clinic>>) => {
  for (let i = 0; i < 500 && (vault.fhirExport.status().running || (await vault.fhirExport.interrupted())); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('a push a restart interrupted', () => {
  it('goes on by itself once an admin is here, and ends with what an uninterrupted push sends', async () => {
    const vault = await clinic();
    const steady = memoryServer();
    await vault.fhirExport.push(steady.main, { kind: 'all' });

    const broken = memoryServer();
    // Late in the push, past its first checkpoints.
    const total = steady.control.sent;
    broken.control.failAt = total - 1;
    await expect(vault.fhirExport.push(broken.main, { kind: 'all' })).rejects.toThrow();
    expect(await vault.fhirExport.interrupted()).toMatchObject({ destination: 'server', where: 'https://fhir.district.example/r4' });

    broken.control.failAt = Number.POSITIVE_INFINITY;
    const sentBefore = broken.control.sent;
    vault.fhirExport.resumePushInBackground(broken.main);
    await settled(vault);
    expect(await vault.fhirExport.interrupted()).toBeUndefined();
    expect(broken.held).toEqual(steady.held);
    // It went on from its last checkpoint: fewer transactions than a push from the start.
    expect(broken.control.sent - sentBefore).toBeLessThan(total);
    // Nothing to carry on: nothing starts.
    vault.fhirExport.resumePushInBackground(broken.main);
    expect(vault.fhirExport.status()).toEqual({});
  });

  it('is not carried on by itself when it went to files: an admin does that from the export page', async () => {
    const vault = await clinic();
    const { main } = memoryServer();
    const failing = { call: ((method: string) => (method === 'export.open' ? Promise.resolve({ exportId: 'fhir-20261206-101112-ndjson-00000000', folder: '/exports/x' }) : Promise.reject(new ApiError({ code: 'internal', message: 'disk full' })))) as ApiClient['call'] };
    await expect(vault.fhirExport.run(failing, { format: 'ndjson', scope: { kind: 'all' } })).rejects.toThrow();
    vault.fhirExport.resumePushInBackground(main);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(vault.fhirExport.status()).toEqual({});
    expect(await vault.fhirExport.interrupted()).toMatchObject({ destination: 'folder' });
  });
});

describe('an export or push when the workstation locks', () => {
  it('stops, as the key it decrypts with goes with the session, and keeps its journal to go on after the next admin login', async () => {
    const vault = await clinic();
    const server = memoryServer();
    let locking: Promise<void> | undefined;
    const pushing = vault.fhirExport.push(server.main, { kind: 'all' }, (done) => {
      if (done > 0 && !locking) locking = vault.lock('idle');
    });
    await expect(pushing).rejects.toMatchObject({ code: 'locked' });
    await locking;
    await vault.login('asha', 'tide pools at dawn');
    expect(await vault.fhirExport.interrupted()).toMatchObject({ destination: 'server', scope: 'all' });
    const audit = await vault.audit.list({ kinds: ['export.fhir'] });
    expect(JSON.stringify(audit)).toContain('"suspended"');
  });
});
