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

export async function choosePulledVersion(input: { dataKey: CryptoKey; arrival: SealedRecord; local: SealedRecord | undefined }): Promise<PulledVersionChoice> {
  const { dataKey, arrival, local } = input;
  if (!local || sameVersion(arrival, local)) return 'arrival';
  if (await opensWith(dataKey, arrival)) return 'arrival';
  return (await opensWith(dataKey, local)) ? 'local' : 'arrival';
}
