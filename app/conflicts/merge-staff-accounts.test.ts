import { describe, expect, it } from 'vitest';
import { staffClaimsContext } from '../auth/staff-claims';
import { generateDataKey, unwrapWithPassphrase, wrapWithPassphrase } from '../crypto/keys';
import { openPayload, sealPayload } from '../crypto/seal';
import { mergeStaffAccounts, type SealedStaffAccount } from './merge-staff-accounts';

// Real keys, real wraps and real sealing: what a workstation does when two
// edits of one staff account meet at the hub.

const iterations = 1000;
const clock = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-00000-${node}`;

async function account(dataKey: CryptoKey, passphrase: string, claims: Record<string, unknown>, hlc: string, wrap?: SealedStaffAccount['wrap']): Promise<SealedStaffAccount> {
  const base = { id: 'user-1', clinicId: 'clinic-1', username: 'baraka', wrap: wrap ?? (await wrapWithPassphrase(dataKey, passphrase, iterations)) };
  return { ...base, updatedAt: 1, hlc, claims: await sealPayload(dataKey, staffClaimsContext(base), claims) };
}

const claimsOf = (dataKey: CryptoKey, a: SealedStaffAccount) => openPayload(dataKey, staffClaimsContext(a), a.claims, 'claims');

describe('merging two edits of a staff account', () => {
  it('keeps a passphrase changed on one side and the account disabled on the other, sealed together', async () => {
    const dataKey = await generateDataKey();
    const claims = { username: 'baraka', displayName: 'Baraka', role: 'clinician', disabled: false };
    const base = await account(dataKey, 'old passphrase here', claims, clock(1000, 'ws-a'));
    const newPassphrase = await account(dataKey, 'new passphrase here', claims, clock(2000, 'ws-b'));
    const disabled = await account(dataKey, '', { ...claims, disabled: true }, clock(3000, 'ws-a'), base.wrap);

    const merged = await mergeStaffAccounts({ dataKey, base, local: disabled, remote: newPassphrase, hlc: clock(4000, 'ws-a'), now: 4000 });
    expect(merged.wrap).toEqual(newPassphrase.wrap);
    expect(merged.hlc).toBe(clock(4000, 'ws-a'));
    expect(await claimsOf(dataKey, merged)).toEqual({ ...claims, disabled: true });
    await expect(unwrapWithPassphrase(merged.wrap, 'new passphrase here')).resolves.toBeDefined();
    await expect(unwrapWithPassphrase(merged.wrap, 'old passphrase here')).rejects.toThrow();
  });

  it('takes the later value of a claim both sides changed, and the later wrap when both changed it', async () => {
    const dataKey = await generateDataKey();
    const claims = { username: 'baraka', displayName: 'Baraka', role: 'clinician', disabled: false };
    const base = await account(dataKey, 'old passphrase here', claims, clock(1000, 'ws-a'));
    const earlier = await account(dataKey, 'first new passphrase', { ...claims, displayName: 'Baraka M.' }, clock(2000, 'ws-a'));
    const later = await account(dataKey, 'second new passphrase', { ...claims, displayName: 'B. Mwangi', role: 'nurse' }, clock(3000, 'ws-b'));
    const merged = await mergeStaffAccounts({ dataKey, base, local: earlier, remote: later, hlc: clock(4000, 'ws-a'), now: 4000 });
    // The later side already holds the result: nothing new to write.
    expect(merged).toBe(later);
    const reversed = await mergeStaffAccounts({ dataKey, base, local: later, remote: earlier, hlc: clock(4000, 'ws-b'), now: 4000 });
    expect(reversed.wrap).toEqual(later.wrap);
    expect(await claimsOf(dataKey, reversed)).toEqual({ ...claims, displayName: 'B. Mwangi', role: 'nurse' });
  });

  it('refuses claims that do not open beside their account (the caller then keeps the later edit whole)', async () => {
    const dataKey = await generateDataKey();
    const claims = { username: 'baraka', displayName: 'Baraka', role: 'clinician', disabled: false };
    const base = await account(dataKey, 'old passphrase here', claims, clock(1000, 'ws-a'));
    const tampered = { ...(await account(dataKey, 'other passphrase', { ...claims, role: 'admin' }, clock(2000, 'ws-b'))), wrap: base.wrap };
    await expect(mergeStaffAccounts({ dataKey, base, local: base, remote: tampered, hlc: clock(3000, 'ws-a'), now: 3000 })).rejects.toThrow();
  });
});

describe('merging a passphrase reset with other edits', () => {
  const claims = { username: 'baraka', displayName: 'Baraka', role: 'clinician', disabled: false, mustChangePassphrase: false };

  it('keeps a reset (temporary passphrase, must change) made on one side and a role change made on the other', async () => {
    const dataKey = await generateDataKey();
    const base = await account(dataKey, 'old passphrase here', claims, clock(1000, 'ws-a'));
    const reset = await account(dataKey, 'temporary passphrase', { ...claims, mustChangePassphrase: true }, clock(2000, 'ws-a'));
    const promoted = await account(dataKey, '', { ...claims, role: 'admin' }, clock(3000, 'ws-b'), base.wrap);
    const merged = await mergeStaffAccounts({ dataKey, base, local: reset, remote: promoted, hlc: clock(4000, 'ws-a'), now: 4000 });
    expect(merged.wrap).toEqual(reset.wrap);
    expect(await claimsOf(dataKey, merged)).toEqual({ ...claims, role: 'admin', mustChangePassphrase: true });
    await expect(unwrapWithPassphrase(merged.wrap, 'temporary passphrase')).resolves.toBeDefined();
  });

  it('the must-change flag follows the passphrase kept: their own later passphrase is not flagged, a later reset is', async () => {
    const dataKey = await generateDataKey();
    const base = await account(dataKey, 'old passphrase here', claims, clock(1000, 'ws-a'));
    const reset = await account(dataKey, 'temporary passphrase', { ...claims, mustChangePassphrase: true }, clock(2000, 'ws-a'));
    const ownChange = await account(dataKey, 'my own new passphrase', claims, clock(3000, 'ws-b'));

    const ownLater = await mergeStaffAccounts({ dataKey, base, local: reset, remote: ownChange, hlc: clock(4000, 'ws-a'), now: 4000 });
    expect(ownLater.wrap).toEqual(ownChange.wrap);
    expect(await claimsOf(dataKey, ownLater)).toMatchObject({ mustChangePassphrase: false });

    const laterReset = await account(dataKey, 'second temporary one', { ...claims, mustChangePassphrase: true }, clock(5000, 'ws-a'));
    const resetLater = await mergeStaffAccounts({ dataKey, base, local: laterReset, remote: ownChange, hlc: clock(6000, 'ws-a'), now: 6000 });
    expect(resetLater.wrap).toEqual(laterReset.wrap);
    expect(await claimsOf(dataKey, resetLater)).toMatchObject({ mustChangePassphrase: true });
  });

  it('merges accounts sealed before the flag existed with ones that carry it', async () => {
    const dataKey = await generateDataKey();
    const oldClaims = { username: 'baraka', displayName: 'Baraka', role: 'clinician', disabled: false };
    const base = await account(dataKey, 'old passphrase here', oldClaims, clock(1000, 'ws-a'));
    const disabled = await account(dataKey, '', { ...oldClaims, disabled: true }, clock(2000, 'ws-b'), base.wrap);
    const reset = await account(dataKey, 'temporary passphrase', { ...oldClaims, mustChangePassphrase: true }, clock(3000, 'ws-a'));
    const merged = await mergeStaffAccounts({ dataKey, base, local: reset, remote: disabled, hlc: clock(4000, 'ws-a'), now: 4000 });
    expect(await claimsOf(dataKey, merged)).toEqual({ ...oldClaims, disabled: true, mustChangePassphrase: true });
  });
});
