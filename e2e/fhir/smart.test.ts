import { afterEach, describe, expect, it } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../../tools/fhir/server/fhir-server';
import { loadFhirValidators } from '../../tools/fhir/validators';
import { createTestWorkstation } from '../sync/harness';

/**
 * SMART Backend Services end to end: the workstation's main process as
 * composed in production makes its key, the admin registers the public key
 * with the server (here: the loopback server is started with it), and the
 * workstation signs in with signed assertions: checked, pushed, a withdrawn
 * token replaced, a wrong client id refused in plain words.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SMART Backend Services sign-in', () => {
  it('signs in with its own key for a registered client id, pushes, takes a fresh token when one is withdrawn, and is refused for another client id', async () => {
    loadFhirValidators();
    const workstation = await createTestWorkstation('smart');
    cleanups.push(() => workstation.close());
    await workstation.vault.setupClinic({ clinicName: 'Kisiwa Health Centre', displayName: 'Asha Admin', username: 'asha', passphrase: 'tide pools at dawn' });
    await workstation.vault.patients.register({ givenNames: 'Amina', familyName: 'Diallo', sex: 'female', estimatedAgeYears: 30 });

    // The address is not known until the server runs; the key is made when SMART is first chosen and kept after.
    const placeholder = await workstation.api.call('fhirServer.set', { baseUrl: 'http://127.0.0.1:9/fhir/R4/', auth: 'smart', clientId: 'kisiwa-clinic', scope: 'system/*.write' });
    if (!placeholder.configured || !placeholder.jwks) throw new Error('no public key was made');
    expect(JSON.stringify(placeholder.jwks)).not.toMatch(/"d"/);
    const server: RunningFhirServer = await startFhirServer({ auth: { kind: 'smart', clientId: 'kisiwa-clinic', jwks: placeholder.jwks } });
    cleanups.push(() => server.close());
    const summary = await workstation.api.call('fhirServer.set', { baseUrl: server.url, auth: 'smart', clientId: 'kisiwa-clinic', scope: 'system/*.write' });
    expect(summary).toMatchObject({ jwks: placeholder.jwks });

    expect(await workstation.api.call('fhirServer.test', {})).toMatchObject({ fhirVersion: '4.0.1' });
    const pushed = await workstation.vault.fhirExport.push(workstation.api, { kind: 'all' });
    expect(pushed).toMatchObject({ destination: 'server', patients: 1, refused: 0 });
    // One token served the check and the push.
    expect(server.smart?.issued).toBe(1);

    server.smart?.withdrawAll();
    expect(await workstation.api.call('fhirServer.test', {})).toMatchObject({ fhirVersion: '4.0.1' });
    expect(server.smart?.issued).toBe(2);

    await workstation.api.call('fhirServer.set', { baseUrl: server.url, auth: 'smart', clientId: 'another-clinic', scope: 'system/*.write' });
    await expect(workstation.api.call('fhirServer.test', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/did not give this workstation a token for client id another-clinic/) as unknown });
  }, 60_000);
});
