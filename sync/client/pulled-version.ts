import type { SealedStaffAccount } from '../../app/conflicts/merge-staff-accounts';
import { staffClaimsContext } from '../../app/auth/staff-claims';
import { openPayload } from '../../app/crypto/seal';
import { openRecord, type SealedRecord } from '../../app/records/sealed-record';

/**
 * Which version of a record a workstation keeps when the hub sends one (issue
 * 12: a bad pull must never destroy data). The hub checks only a document's
 * shape and clinic id, so a revision sealed with another key (a workstation
 * of another clinic, a tool writing straight to the hub) or altered on the
 * way reaches every workstation well-formed. Such an arrival replaces nothing
 * that opens: the local version is kept and the arrival is kept aside for an
 * administrator. Opening is the test because AES-GCM's tag covers the sealed
 * text and every clear field: a version that opens under the clinic key was
 * written by someone holding it, unaltered.
 *
 * - `arrival`: store the hub's version (it opens; or it is this very
 *   version; or there is nothing here that opens to protect: a new record that
 *   does not open is stored as today, and the screens already report such a
 *   record as unreadable without breaking, so a later good version replaces
 *   it by the ordinary path);
 * - `local`: keep the local version; the arrival is to be kept aside.
 */
export type PulledVersionChoice = 'arrival' | 'local';

/** Every edit seals with a fresh IV: the same clock and sealed text is the same version. */
export const sameVersion = (a: SealedRecord, b: SealedRecord) => a.hlc === b.hlc && a.sealed === b.sealed && a.deleted === b.deleted;

/** Whether the record opens under the key; never throws. */
export async function opensWith(dataKey: CryptoKey, record: SealedRecord): Promise<boolean> {
  try {
    await openRecord(dataKey, record);
    return true;
  } catch {
    return false;
  }
}

/** The rule above, for any kind of document: how to tell two versions apart and whether one opens. */
export async function choosePulled<T>(arrival: T, local: T | undefined, same: (a: T, b: T) => boolean, opens: (version: T) => Promise<boolean>): Promise<PulledVersionChoice> {
  if (!local || same(arrival, local)) return 'arrival';
  if (await opens(arrival)) return 'arrival';
  return (await opens(local)) ? 'local' : 'arrival';
}

export function choosePulledVersion(input: { dataKey: CryptoKey; arrival: SealedRecord; local: SealedRecord | undefined }): Promise<PulledVersionChoice> {
  return choosePulled(input.arrival, input.local, sameVersion, (record) => opensWith(input.dataKey, record));
}

/**
 * Staff accounts, by the same rule. An account "opens" when its claims do:
 * they are sealed under the clinic key and bound to the account's id, clinic,
 * user name and wrap (app/auth/staff-claims.ts), so an account whose wrap or
 * claims were replaced by something without the key opens nothing, and would
 * otherwise lock that person out of every workstation it reached.
 */
export const sameStaffVersion = (a: SealedStaffAccount, b: SealedStaffAccount) => a.hlc === b.hlc && a.claims === b.claims && a.wrap.wrapped === b.wrap.wrapped;

export async function staffOpensWith(dataKey: CryptoKey, account: SealedStaffAccount): Promise<boolean> {
  try {
    await openPayload(dataKey, staffClaimsContext(account), account.claims, `Staff account ${account.id}`);
    return true;
  } catch {
    return false;
  }
}

export function choosePulledStaff(input: { dataKey: CryptoKey; arrival: SealedStaffAccount; local: SealedStaffAccount | undefined }): Promise<PulledVersionChoice> {
  return choosePulled(input.arrival, input.local, sameStaffVersion, (account) => staffOpensWith(input.dataKey, account));
}
