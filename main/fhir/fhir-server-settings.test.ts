import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFhirServerSettings } from './fhir-server-settings';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const settingsFile = () => {
  const folder = mkdtempSync(join(tmpdir(), 'clinic-fhir-settings-'));
  folders.push(folder);
  return join(folder, 'fhir-server.json');
};

describe('the FHIR server settings (main process)', () => {
  it('keep the secret to themselves: the screens get the address, the kind and the user name', async () => {
    const file = settingsFile();
    const settings = createFhirServerSettings(file);
    expect(await settings.get()).toEqual({ configured: false });
    const summary = await settings.set({ baseUrl: 'https://fhir.district.example/r4', auth: 'basic', username: 'kisiwa', password: 'tide pools at dawn' });
    expect(summary).toEqual({ configured: true, baseUrl: 'https://fhir.district.example/r4', auth: 'basic', username: 'kisiwa' });
    expect(JSON.stringify(await settings.get())).not.toContain('tide pools');
    expect(await settings.connection()).toEqual({ baseUrl: 'https://fhir.district.example/r4/', authorization: `Basic ${Buffer.from('kisiwa:tide pools at dawn').toString('base64')}` });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Another process (a restart) reads the same.
    expect(await createFhirServerSettings(file).get()).toEqual(summary);
    await settings.set({ baseUrl: 'http://127.0.0.1:8080/fhir/', auth: 'bearer', token: 'abc' });
    expect(await settings.connection()).toEqual({ baseUrl: 'http://127.0.0.1:8080/fhir/', authorization: 'Bearer abc' });
    expect(readFileSync(file, 'utf8')).not.toContain('kisiwa');
  });

  it('make this workstation a SMART key once, show only its public half, and keep it when the server changes', async () => {
    const file = settingsFile();
    const settings = createFhirServerSettings(file);
    const first = await settings.set({ baseUrl: 'https://fhir.district.example/r4', auth: 'smart', clientId: 'kisiwa', scope: 'system/*.write' });
    if (!first.configured || !first.jwks) throw new Error('no key');
    const [publicKey] = first.jwks.keys;
    expect(publicKey).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' });
    expect(publicKey).not.toHaveProperty('d');
    const again = await settings.set({ baseUrl: 'https://fhir2.district.example/r4', auth: 'smart', clientId: 'kisiwa-2', scope: 'system/*.write' });
    expect(again).toMatchObject({ clientId: 'kisiwa-2', jwks: first.jwks });
    const connection = await settings.connection();
    expect(connection?.smart).toMatchObject({ clientId: 'kisiwa-2', scope: 'system/*.write', key: { kid: publicKey!.kid } });
    expect(connection?.smart?.key.privateJwk).toHaveProperty('d');
  });

  it('take a damaged file for none, rather than fail', async () => {
    const file = settingsFile();
    writeFileSync(file, '{"formatVersion":1,"server":{"baseUrl":"ftp://x"');
    expect(await createFhirServerSettings(file).get()).toEqual({ configured: false });
  });
});
