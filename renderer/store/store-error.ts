/**
 * Failures the encrypted store reports to the screens. Each code has plain
 * words in the i18n catalogues (`store.errors.<code>`); `message` is for
 * support and never carries patient data.
 */
export const storeErrorCodes = [
  'not_set_up',
  'already_set_up',
  'locked',
  'wrong_credentials',
  'too_many_attempts',
  'account_disabled',
  'wrong_recovery_key',
  'username_taken',
  'invalid',
  'not_found',
  'unreadable_record',
  'last_admin',
  /** An administrator tried to disable, demote or reset their own account here (they use their own account page, or another admin). */
  'own_account',
  /** The passphrase was set by an administrator: the person must choose their own before the workstation unlocks. */
  'passphrase_change_required',
  /** The new passphrase chosen after a reset is the temporary one again. */
  'same_passphrase',
  'weak_passphrase',
  /** Setting a clinic up on a hub that already holds its staff (the clinic's key exists on another workstation). */
  'clinic_on_hub',
  /** An administrator stopped a FHIR export: its folder holds part of it. */
  'export_cancelled',
  /** A FHIR export is already running on this workstation. */
  'export_running',
  /** An import is being written on this workstation. */
  'import_running',
  /** An import was asked to write before its files were checked, or while problems in them remain. */
  'import_not_ready',
] as const;
export type StoreErrorCode = (typeof storeErrorCodes)[number];

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string = code,
    /** For `invalid`: an i18n message key per form field. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The `invalid` error of a form the store refused: for each field the schema
 * named, the message key the screens translate (fields without a key are left
 * to the general message).
 */
export function invalidInput(message: string, issues: readonly { path: readonly PropertyKey[] }[], keys: Readonly<Record<string, string>>): StoreError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && Object.hasOwn(keys, field)) fields[field] = keys[field]!;
  }
  return new StoreError('invalid', message, fields);
}
