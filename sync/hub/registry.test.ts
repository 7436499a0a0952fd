import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from './auth';
import {
  addEnrollmentCode,
  createClinic,
  emptyRegistry,
  enroll,
  enrolledThrough,
  forgetOldCodes,
  lookUpCode,
  maxOpenCodesPerClinic,
  RegistryError,
  revokeWorkstation,
  type Registry,
} from './registry';
import { openRegistryStore } from './registry-store';
import { hashSecret, newClinicId, newSecret, newWorkstationId, verifySecret } from './secrets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clinic-hub-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const now = new Date('2030-01-01T00:00:00Z');
const digest = (n: number) => n.toString(16).padStart(64, '0');

describe('registry rules', () => {
  function withClinic(): { registry: Registry; clinicId: string } {
    const registry = emptyRegistry('0'.repeat(32));
    const clinicId = newClinicId();
    createClinic(registry, clinicId, 'Clinic', now);
    return { registry, clinicId };
  }

  it('consumes a code once, and tells used from expired from unknown', () => {
    const { registry, clinicId } = withClinic();
    addEnrollmentCode(registry, { clinicId, digest: digest(1), wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(now.getTime() + 3600_000) }, now);
    const enrollment = { digest: digest(1), workstationId: newWorkstationId(), workstationName: 'Desk', secretHash: 'scrypt$x' };
    expect(enroll(registry, enrollment, now).status).toBe('valid');
    expect(Object.keys(registry.workstations)).toEqual([enrollment.workstationId]);
    expect(enroll(registry, { ...enrollment, workstationId: newWorkstationId() }, now).status).toBe('used');
    expect(Object.keys(registry.workstations)).toHaveLength(1);
    expect(lookUpCode(registry, digest(2), now).status).toBe('unknown');
    addEnrollmentCode(registry, { clinicId, digest: digest(3), wrappedKey: 'v1.a.b.c', issuedBy: 'admin-command', expiresAt: new Date(now.getTime() + 1000) }, now);
    expect(lookUpCode(registry, digest(3), new Date(now.getTime() + 1000)).status).toBe('expired');
  });

  it('bounds the open codes per clinic and refuses duplicates and unknown clinics', () => {
    const { registry, clinicId } = withClinic();
    const code = (n: number) => ({ clinicId, digest: digest(n), wrappedKey: null, issuedBy: 'admin-command' as const, expiresAt: new Date(now.getTime() + 3600_000) });
    for (let i = 0; i < maxOpenCodesPerClinic; i++) addEnrollmentCode(registry, code(i), now);
    expect(() => addEnrollmentCode(registry, code(100), now)).toThrow(expect.objectContaining({ code: 'too_many_codes' }));
    expect(() => addEnrollmentCode(registry, code(0), now)).toThrow(expect.objectContaining({ code: 'duplicate_code' }));
    expect(() => addEnrollmentCode(registry, { ...code(101), clinicId: newClinicId() }, now)).toThrow(expect.objectContaining({ code: 'unknown_clinic' }));
  });

  it('forgets used and expired codes after 30 days, not before', () => {
    const { registry, clinicId } = withClinic();
    addEnrollmentCode(registry, { clinicId, digest: digest(1), wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(now.getTime() + 1000) }, now);
    forgetOldCodes(registry, new Date(now.getTime() + 29 * 24 * 3600_000));
    expect(Object.keys(registry.enrollmentCodes)).toHaveLength(1);
    forgetOldCodes(registry, new Date(now.getTime() + 31 * 24 * 3600_000));
    expect(Object.keys(registry.enrollmentCodes)).toHaveLength(0);
  });

  it('revokes once and keeps the first revocation time', () => {
    const { registry, clinicId } = withClinic();
    addEnrollmentCode(registry, { clinicId, digest: digest(1), wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(now.getTime() + 3600_000) }, now);
    const workstationId = newWorkstationId();
    enroll(registry, { digest: digest(1), workstationId, workstationName: 'Desk', secretHash: 'scrypt$x' }, now);
    expect(revokeWorkstation(registry, workstationId, now).workstation.revokedAt).toBe(now.toISOString());
    expect(revokeWorkstation(registry, workstationId, new Date(now.getTime() + 5000)).workstation.revokedAt).toBe(now.toISOString());
    expect(() => revokeWorkstation(registry, newWorkstationId(), now)).toThrow(RegistryError);
  });

  /** Enrolls a workstation with a code issued by `issuedBy`, as the front does. */
  function enrollThrough(registry: Registry, clinicId: string, issuedBy: string, n: number): string {
    const workstationId = newWorkstationId();
    addEnrollmentCode(registry, { clinicId, digest: digest(n), wrappedKey: null, issuedBy: issuedBy, expiresAt: new Date(now.getTime() + 3600_000) }, now);
    expect(enroll(registry, { digest: digest(n), workstationId, workstationName: `Desk ${n}`, secretHash: 'scrypt$x' }, now).status).toBe('valid');
    return workstationId;
  }

  it('revokes a workstation’s unused codes with it, and refuses any code of a revoked issuer', () => {
    const { registry, clinicId } = withClinic();
    const issuer = enrollThrough(registry, clinicId, 'admin-command', 1);
    const other = enrollThrough(registry, clinicId, 'admin-command', 2);
    const used = enrollThrough(registry, clinicId, issuer, 3);
    const code = (n: number, issuedBy: string, hours = 1) => ({ clinicId, digest: digest(n), wrappedKey: 'v1.a.b.c', issuedBy: issuedBy, expiresAt: new Date(now.getTime() + hours * 3600_000) });
    addEnrollmentCode(registry, code(4, issuer), now);
    addEnrollmentCode(registry, code(5, issuer, 168), now);
    addEnrollmentCode(registry, code(6, other), now);

    const later = new Date(now.getTime() + 60_000);
    expect(revokeWorkstation(registry, issuer, later).codesRevoked).toBe(2);
    expect([4, 5].map((n) => registry.enrollmentCodes[digest(n)]!.revokedAt)).toEqual([later.toISOString(), later.toISOString()]);
    expect(lookUpCode(registry, digest(4), later).status).toBe('revoked');
    expect(lookUpCode(registry, digest(6), later).status).toBe('valid');
    // The code already used keeps its record: who issued it, who used it.
    expect(Object.values(registry.enrollmentCodes).find((c) => c.usedBy === used)).toMatchObject({ issuedBy: issuer, revokedAt: null });
    expect(enroll(registry, { digest: digest(5), workstationId: newWorkstationId(), workstationName: 'Late', secretHash: 'scrypt$x' }, later).status).toBe('revoked');

    // A code written after the revocation (a deposit racing it) is refused at deposit and would be at use.
    expect(() => addEnrollmentCode(registry, code(7, issuer), later)).toThrow(expect.objectContaining({ code: 'issuer_revoked' }));
    registry.enrollmentCodes[digest(8)] = { ...registry.enrollmentCodes[digest(6)]!, issuedBy: issuer };
    expect(lookUpCode(registry, digest(8), later).status).toBe('revoked');
  });

  it('records who issued the code each workstation enrolled with, and finds every workstation enrolled through one, in turn', () => {
    const { registry, clinicId } = withClinic();
    const first = enrollThrough(registry, clinicId, 'admin-command', 1);
    const second = enrollThrough(registry, clinicId, first, 2);
    const third = enrollThrough(registry, clinicId, second, 3);
    const unrelated = enrollThrough(registry, clinicId, 'admin-command', 4);
    expect(registry.workstations[second]!.enrolledBy).toBe(first);
    expect(registry.workstations[first]!.enrolledBy).toBe('admin-command');
    expect(enrolledThrough(registry, first).map(({ workstationId, via }) => [workstationId, via])).toEqual([
      [second, first],
      [third, second],
    ]);
    expect(enrolledThrough(registry, unrelated)).toEqual([]);
  });
});

describe('the registry file', () => {
  it('is created on the first update, private to its owner, and read back', async () => {
    const store = await openRegistryStore(dir);
    const clinicId = newClinicId();
    await store.update((registry) => createClinic(registry, clinicId, 'Clinic', now));
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(Object.keys((await store.read()).clinics)).toEqual([clinicId]);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toMatchObject({ version: 2, clinics: { [clinicId]: { name: 'Clinic' } } });
    expect((await readdir(dir)).sort()).toEqual(['hub-registry.json']);
  });

  it('writes nothing when a change fails', async () => {
    const store = await openRegistryStore(dir);
    await store.update((registry) => createClinic(registry, newClinicId(), 'One', now));
    const before = await readFile(store.path, 'utf8');
    await expect(
      store.update((registry) => {
        createClinic(registry, newClinicId(), 'Two', now);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await readFile(store.path, 'utf8')).toBe(before);
  });

  it('loses no update when two processes (two stores) change it at once', async () => {
    const [first, second] = [await openRegistryStore(dir), await openRegistryStore(dir)];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).update((registry) => createClinic(registry, newClinicId(), `Clinic ${i}`, now))),
    );
    expect(Object.keys((await first.read()).clinics)).toHaveLength(40);
    expect(Object.keys((await second.read()).clinics)).toHaveLength(40);
    expect((await readdir(dir)).sort()).toEqual(['hub-registry.json']);
  });

  it('takes over a lock left by a process that died mid-update', async () => {
    const store = await openRegistryStore(dir);
    const lock = `${store.path}.lock`;
    await writeFile(lock, '{"pid":1}');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await store.update((registry) => createClinic(registry, newClinicId(), 'After crash', now));
    expect(Object.keys((await store.read()).clinics)).toHaveLength(1);
  });

  it('upgrades a version 1 file: its open codes of the first format are revoked, and workstations learn who issued their code', async () => {
    const clinicId = newClinicId();
    const [enrolled, older] = [newWorkstationId(), newWorkstationId()];
    const at = '2029-12-31T12:00:00.000Z';
    const v1Code = (usedBy: string | null, expiresAt: string) => ({ clinicId, wrappedKey: null, issuedBy: 'admin-command', createdAt: at, expiresAt, usedAt: usedBy && at, usedBy });
    const v1Workstation = { clinicId, name: 'Desk', secretHash: 'scrypt$x', createdAt: at, revokedAt: null };
    await writeFile(
      join(dir, 'hub-registry.json'),
      JSON.stringify({
        version: 1,
        hubId: 'a'.repeat(32),
        clinics: { [clinicId]: { name: 'Clinic', createdAt: at } },
        workstations: { [enrolled]: v1Workstation, [older]: v1Workstation },
        enrollmentCodes: { [digest(1)]: v1Code(enrolled, '2030-01-01T12:00:00.000Z'), [digest(2)]: v1Code(null, '2030-01-01T12:00:00.000Z'), [digest(3)]: v1Code(null, at) },
      }),
    );
    const store = await openRegistryStore(dir, () => now);
    const registry = await store.read();
    expect(registry.version).toBe(2);
    expect(registry.workstations[enrolled]!.enrolledBy).toBe('admin-command');
    expect(registry.workstations[older]!.enrolledBy).toBeNull(); // its code was already forgotten
    expect([1, 2, 3].map((n) => registry.enrollmentCodes[digest(n)]!.revokedAt)).toEqual([null, now.toISOString(), null]);
    expect(lookUpCode(registry, digest(2), now).status).toBe('revoked');
    await store.update(() => undefined);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toMatchObject({ version: 2 });
  });

  it('refuses to go on with a damaged file rather than starting empty', async () => {
    const store = await openRegistryStore(dir);
    await writeFile(store.path, '{"version":1,"clinics":');
    await expect(store.read()).rejects.toMatchObject({ code: 'damaged' });
    await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'damaged' });
  });
});

describe('authentication against the registry', () => {
  it('accepts the right secret, refuses others, and sees a revocation by another process at once (even when cached)', async () => {
    const hub = await openRegistryStore(dir);
    const admin = await openRegistryStore(dir);
    const clinicId = newClinicId();
    const workstationId = newWorkstationId();
    const secret = newSecret();
    const secretHash = await hashSecret(secret);
    expect(secretHash).not.toContain(secret);
    await admin.update((registry) => {
      createClinic(registry, clinicId, 'Clinic', now);
      addEnrollmentCode(registry, { clinicId, digest: digest(1), wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(Date.now() + 3600_000) }, new Date());
      enroll(registry, { digest: digest(1), workstationId, workstationName: 'Desk', secretHash }, new Date());
    });
    const auth = createAuthenticator(hub);
    const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    expect(await auth.authenticate(header(workstationId, secret))).toEqual({ kind: 'ok', workstationId, clinicId });
    expect(await auth.authenticate(header(workstationId, secret))).toEqual({ kind: 'ok', workstationId, clinicId }); // from the cache
    expect(await auth.authenticate(header(workstationId, newSecret()))).toEqual({ kind: 'invalid', claimed: workstationId });
    const unknown = newWorkstationId();
    expect(await auth.authenticate(header(unknown, secret))).toEqual({ kind: 'invalid', claimed: unknown });
    expect(await auth.authenticate(header(workstationId, `${secret}:more`))).toEqual({ kind: 'invalid' });
    expect(await auth.authenticate(undefined)).toEqual({ kind: 'missing' });
    expect(await auth.authenticate(`Digest ${secret}`)).toEqual({ kind: 'invalid' });

    await admin.update((registry) => revokeWorkstation(registry, workstationId, new Date()));
    expect(await auth.authenticate(header(workstationId, secret))).toEqual({ kind: 'revoked', workstationId });
    expect(await auth.authenticate(header(workstationId, newSecret()))).toEqual({ kind: 'invalid', claimed: workstationId });
  });

  it('makes every failed sign-in pay a full key derivation, even for an id verified a moment ago, so timing does not tell which ids exist', async () => {
    const hub = await openRegistryStore(dir);
    const clinicId = newClinicId();
    const workstationId = newWorkstationId();
    const secret = newSecret();
    const secretHash = await hashSecret(secret);
    await hub.update((registry) => {
      createClinic(registry, clinicId, 'Clinic', now);
      addEnrollmentCode(registry, { clinicId, digest: digest(2), wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(Date.now() + 3600_000) }, new Date());
      enroll(registry, { digest: digest(2), workstationId, workstationName: 'Desk', secretHash }, new Date());
    });
    let derivations = 0;
    const auth = createAuthenticator(hub, { verify: async (s, stored) => (derivations++, verifySecret(s, stored)) });
    const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    expect((await auth.authenticate(header(workstationId, secret))).kind).toBe('ok');
    expect(derivations).toBe(1);
    expect((await auth.authenticate(header(workstationId, secret))).kind).toBe('ok');
    expect(derivations).toBe(1); // the right secret, cached
    expect((await auth.authenticate(header(workstationId, newSecret()))).kind).toBe('invalid');
    expect(derivations).toBe(2); // a wrong one for the cached id: a full derivation, as for
    expect((await auth.authenticate(header(newWorkstationId(), newSecret()))).kind).toBe('invalid');
    expect(derivations).toBe(3); // an id that does not exist
  });
});
