import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClinicCommand, listCommand, revokeCommand } from './admin';
import { addEnrollmentCode, enroll } from './registry';
import { openRegistryStore, type RegistryStore } from './registry-store';
import { newWorkstationId, proofDigest } from './secrets';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function openStore(): Promise<RegistryStore> {
  const dir = await mkdtemp(join(tmpdir(), 'hub-admin-'));
  dirs.push(dir);
  return openRegistryStore(dir);
}

/** Enrolls a workstation as the front does: a code, then its use with the name typed at the workstation. */
async function enrollWorkstation(store: RegistryStore, clinicId: string, name: string, now: Date): Promise<string> {
  const workstationId = newWorkstationId();
  const digest = proofDigest(`proof-${workstationId}`);
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
    expect(lines.indexOf(`  ${laptop}  revoked  Outreach laptop  (enrolled ${now.toISOString()}, revoked ${now.toISOString()})`)).toBeGreaterThan(lines.findIndex((l) => l.startsWith(pwani)));
  });

  it('with a clinic, still gives its databases, open codes and workstations', async () => {
    const store = await openStore();
    const now = new Date('2026-01-05T08:00:00.000Z');
    const kisiwa = await createClinicCommand(store, { name: 'Kisiwa Health Centre' }, now);
    const frontDesk = await enrollWorkstation(store, kisiwa, 'Front desk', now);
    const lines = await listCommand(store, { clinic: kisiwa }, now);
    expect(lines).toContain('workstations:');
    expect(lines.join('\n')).toContain(`${frontDesk}  active   Front desk`);
    expect(lines.join('\n')).toContain('open enrollment codes: 0');
  });
});
