import type { KeyWrap } from '../crypto/keys';
import { openPayload, sealPayload } from '../crypto/seal';
import { staffClaimsContext, type StaffClaimsBinding } from '../auth/staff-claims';
import { canonicalJson } from '../records/canonical-json';
import { mergePayloads, type Payload } from './three-way-merge';

/**
 * Two edits of one staff account made apart, merged so neither is lost: a
 * passphrase changed on one workstation (a new wrap of the data key) and a
 * role changed by an administrator on another both stay.
 *
 * An account is a clear part (id, clinic, username), the wrap, and the claims
 * (display name, role, disabled) sealed under the data key and bound to that
 * wrap (app/auth/staff-claims.ts), so that a wrap copied into another account
 * opens nothing. So the merge takes the wrap from the side that changed it
 * (both changed: the later edit's), merges the claims field by field like a
 * record's payload (a field both changed keeps the later edit's value), and
 * seals the merged claims again beside the merged wrap. It needs the data
 * key; without it (locked) the later edit wins whole.
 *
 * One claim is not merged on its own: `mustChangePassphrase` (set by an
 * administrator's reset) describes the wrap it was sealed with, so it comes
 * from the side whose wrap is kept. Otherwise a reset on one workstation and
 * the person's own new passphrase on another could end as their passphrase
 * flagged temporary, or worse, the temporary one not flagged.
 */

export interface SealedStaffAccount extends StaffClaimsBinding {
  updatedAt: number;
  hlc: string;
  claims: string;
}

export interface StaffMergeInput<T extends SealedStaffAccount> {
  dataKey: CryptoKey;
  /** The version both edits started from; undefined when unknown (every difference then goes to the later edit). */
  base: T | undefined;
  local: T;
  remote: T;
  /** The clock value for the merged version, should one be needed. */
  hlc: string;
  now: number;
}

/** The claim that travels with the wrap (see above). */
const flag = 'mustChangePassphrase';

const sameWrap = (a: KeyWrap, b: KeyWrap) => canonicalJson(a) === canonicalJson(b);

async function claimsOf(dataKey: CryptoKey, account: SealedStaffAccount): Promise<Payload> {
  const claims = await openPayload(dataKey, staffClaimsContext(account), account.claims, `Staff account ${account.id}`);
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError(`Staff account ${account.id} has claims of the wrong shape.`);
  return claims as Payload;
}

/** The merged account: `remote` itself when it already holds both edits, else a new version sealed under the merged wrap. */
export async function mergeStaffAccounts<T extends SealedStaffAccount>(input: StaffMergeInput<T>): Promise<T> {
  const { dataKey, base, local, remote } = input;
  const localChangedWrap = !base || !sameWrap(local.wrap, base.wrap);
  const remoteChangedWrap = !base || !sameWrap(remote.wrap, base.wrap);
  const wrap = localChangedWrap && (!remoteChangedWrap || local.hlc > remote.hlc) ? local.wrap : remote.wrap;

  const remoteClaims = await claimsOf(dataKey, remote);
  const localClaims = await claimsOf(dataKey, local);
  const merged = mergePayloads(base ? await claimsOf(dataKey, base) : undefined, { payload: localClaims, hlc: local.hlc }, { payload: remoteClaims, hlc: remote.hlc });
  const claims: Record<string, unknown> = { ...merged.merged };
  if (localChangedWrap || remoteChangedWrap) {
    const wrapClaims = wrap === local.wrap ? localClaims : remoteClaims;
    delete claims[flag];
    if (wrapClaims[flag] !== undefined) claims[flag] = wrapClaims[flag];
  }
  if (sameWrap(wrap, remote.wrap) && canonicalJson(claims) === canonicalJson(remoteClaims)) return remote;

  const account = { ...remote, wrap };
  return { ...account, claims: await sealPayload(dataKey, staffClaimsContext(account), claims), hlc: input.hlc, updatedAt: input.now };
}
