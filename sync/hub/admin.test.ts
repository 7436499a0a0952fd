import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enrollmentProof, splitEnrollmentCode } from '../../app/enrollment/enrollment-code';
import { createClinicCommand, issueCodeCommand, listCommand, revokeCommand } from './admin';
import { addEnrollmentCode, enroll } from './registry';
import { openRegistryStore, type RegistryStore } from './registry-store';
import { codeDigest, newWorkstationId } from './secrets';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** `now`: the store's clock too, which forgets codes ended 30 days before it. */
async function openStore(now?: Date): Promise<RegistryStore> {
  const dir = await mkdtemp(join(tmpdir(), 'hub-admin-'));
  dirs.push(dir);
  return openRegistryStore(dir, now && (() => now));
}

/** Enrolls a workstation as the front does: a code, then its use with the name typed at the workstation. */
async function enrollWorkstation(store: RegistryStore, clinicId: string, name: string, now: Date): Promise<string> {
  const workstationId = newWorkstationId();
  const digest = workstationId.slice(3).padStart(64, '0');
  await store.update((registry) => {
    addEnrollmentCode(registry, { clinicId, digest, wrappedKey: null, issuedBy: 'admin-command', expiresAt: new Date(now.getTime() + 3600_000) }, now);
    expect(enroll(registry, { digest, workstationId, workstationName: name, secretHash: 'not-used-here' }, now).status).toBe('valid');
  });
  return workstationId;
}

describe('admin list', () => {
  it('without a clinic, lists every clinic with each of its workstations by name and state', async () => {
    const store = await openStore();
    const now = new Date('2026-01-05T08:00:00.000Z');
    const kisiwa = await createClinicCommand(store, { name: 'Kisiwa Health Centre' }, now);
    const pwani = await createClinicCommand(store, { name: 'Pwani Dispensary' }, now);
    await createClinicCommand(store, { name: 'Empty Clinic' }, now);
    const frontDesk = await enrollWorkstation(store, kisiwa, 'Front desk', now);
    const maternity = await enrollWorkstation(store, kisiwa, 'Maternity', now);
    const laptop = await enrollWorkstation(store, pwani, 'Outreach laptop', now);
    await revokeCommand(store, { workstation: laptop }, now);

    const lines = await listCommand(store, {}, now);
    const text = lines.join('\n');
    expect(text).toContain(`${kisiwa}  Kisiwa Health Centre`);
    expect(text).toContain(`  ${frontDesk}  active   Front desk`);
    expect(text).toContain(`  ${maternity}  active   Maternity`);
    expect(text).toContain(`  ${laptop}  revoked  Outreach laptop`);
    expect(text).toContain('Empty Clinic');
    expect(text).toContain('  no workstations enrolled');
    // Each workstation is listed under its own clinic.
    expect(lines.indexOf(`  ${laptop}  revoked  Outreach laptop  (enrolled ${now.toISOString()} with a code from admin-command, revoked ${now.toISOString()})`)).toBeGreaterThan(
      lines.findIndex((l) => l.startsWith(pwani)),
    );
  });

  it('with a clinic, still gives its databases, open codes and workstations', async () => {
    const now = new Date('2026-01-05T08:00:00.000Z');
    const store = await openStore(now);
    const kisiwa = await createClinicCommand(store, { name: 'Kisiwa Health Centre' }, now);
    const frontDesk = await enrollWorkstation(store, kisiwa, 'Front desk', now);
    const lines = await listCommand(store, { clinic: kisiwa }, now);
    expect(lines).toContain('workstations:');
    expect(lines.join('\n')).toContain(`${frontDesk}  active   Front desk`);
    expect(lines.join('\n')).toContain('open enrollment codes: 0');
    expect(lines).toContain(`  used     issued by admin-command ${now.toISOString()}, used by ${frontDesk} ${now.toISOString()}`);
  });
});

describe('admin issue-code and revoke', () => {
  it('issues keyless codes in the same two-part format, each with a part of its own', async () => {
    const now = new Date('2026-01-05T08:00:00.000Z');
    const store = await openStore(now);
    const clinic = await createClinicCommand(store, { name: 'Kisiwa Health Centre' }, now);
    const first = await issueCodeCommand(store, { clinic, force: true }, now);
    const second = await issueCodeCommand(store, { clinic, force: true }, now);
    expect(first.code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
    expect(splitEnrollmentCode(first.code).hubPart).not.toBe(splitEnrollmentCode(second.code).hubPart);
    expect(first.expiresAt.toISOString()).toBe('2026-01-06T08:00:00.000Z'); // 24 hours unless told
    const stored = (await store.read()).enrollmentCodes[codeDigest(await enrollmentProof(first.code))];
    expect(stored).toMatchObject({ clinicId: clinic, issuedBy: 'admin-command', wrappedKey: null, usedAt: null, revokedAt: null });
  });

  it('says which unused codes it revoked and which workstations enrolled with the revoked one’s codes', async () => {
    const now = new Date('2026-01-05T08:00:00.000Z');
    const store = await openStore(now);
    const clinic = await createClinicCommand(store, { name: 'Kisiwa Health Centre' }, now);
    const frontDesk = await enrollWorkstation(store, clinic, 'Front desk', now);
    const quiet = await enrollWorkstation(store, clinic, 'Quiet desk', now);
    const maternity = newWorkstationId();
    await store.update((registry) => {
      addEnrollmentCode(registry, { clinicId: clinic, digest: '1'.repeat(64), wrappedKey: 'v1.a.b.c', issuedBy: frontDesk, expiresAt: new Date(now.getTime() + 3600_000) }, now);
      addEnrollmentCode(registry, { clinicId: clinic, digest: '2'.repeat(64), wrappedKey: 'v1.a.b.c', issuedBy: frontDesk, expiresAt: new Date(now.getTime() + 3600_000) }, now);
      enroll(registry, { digest: '1'.repeat(64), workstationId: maternity, workstationName: 'Maternity', secretHash: 'not-used-here' }, now);
    });
    const lines = await revokeCommand(store, { workstation: frontDesk }, now);
    expect(lines[0]).toBe(`Workstation ${frontDesk} of clinic ${clinic} is revoked (since ${now.toISOString()}).`);
    expect(lines).toContain('Its 1 unused enrollment code(s) are revoked too.');
    expect(lines).toContain(`  ${maternity}  active   Maternity  (enrolled ${now.toISOString()} with a code from ${frontDesk})`);
    expect(lines.join('\n')).not.toContain(quiet);
    expect((await listCommand(store, { clinic }, now)).join('\n')).toContain(`  revoked  issued by ${frontDesk} ${now.toISOString()}, revoked ${now.toISOString()}`);

    const alone = await revokeCommand(store, { workstation: quiet }, now);
    expect(alone).toEqual([`Workstation ${quiet} of clinic ${clinic} is revoked (since ${now.toISOString()}).`, 'It had no unused enrollment codes.', 'No workstation enrolled with a code it issued.']);
  });
});
