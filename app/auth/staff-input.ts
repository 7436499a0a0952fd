import { z } from 'zod';
import { minPassphraseLength } from '../crypto/keys';

/**
 * The fields of the login, clinic setup and staff forms, checked the same way
 * by the forms (so an empty submit marks every field at once, before any key
 * derivation) and by the keyring (which trusts no form). Messages are i18n
 * keys, never text built from what was typed.
 */
export const staffValidationKeys = {
  clinicNameRequired: 'validation.staff.clinicNameRequired',
  clinicNameInvalid: 'validation.staff.clinicNameInvalid',
  displayNameRequired: 'validation.staff.displayNameRequired',
  displayNameTooLong: 'validation.staff.displayNameTooLong',
  usernameRequired: 'validation.staff.usernameRequired',
  usernameInvalid: 'validation.staff.usernameInvalid',
  passphraseRequired: 'validation.staff.passphraseRequired',
  passphraseTooShort: 'validation.staff.passphraseTooShort',
  recoveryKeyRequired: 'validation.staff.recoveryKeyRequired',
} as const;
const keys = staffValidationKeys;

/**
 * A user name: 3 to 32 of a-z, 0-9, dot, dash, underscore, after trimming and
 * lower-casing (what `setup.usernameHelp` tells people). ASCII only: it is
 * typed at every login, on whatever keyboard the workstation has.
 */
export const usernamePattern = /^[a-z0-9._-]{3,32}$/;

/** The stored form of a typed user name: trimmed, lower case. */
export function canonicalUsername(text: string): string {
  return text.trim().toLowerCase();
}

const required = (key: string) => z.string({ error: key }).trim().min(1, { error: key });

const username = z
  .string({ error: keys.usernameRequired })
  .transform(canonicalUsername)
  .pipe(z.string().min(1, { error: keys.usernameRequired }).regex(usernamePattern, { error: keys.usernameInvalid }));

// Not trimmed: spaces may be part of a passphrase.
const newPassphrase = z
  .string({ error: keys.passphraseRequired })
  .min(1, { error: keys.passphraseRequired })
  .refine((value) => [...value].length >= minPassphraseLength, { error: keys.passphraseTooShort });

export const newStaffFieldsSchema = z.object({
  displayName: required(keys.displayNameRequired).max(100, { error: keys.displayNameTooLong }),
  username,
  passphrase: newPassphrase,
});

export const clinicSetupFieldsSchema = newStaffFieldsSchema.extend({
  clinicName: required(keys.clinicNameRequired).min(2, { error: keys.clinicNameInvalid }).max(100, { error: keys.clinicNameInvalid }),
});

/** Login asks only that both were typed: the user name's rules are not a hint about which accounts exist. */
export const loginFieldsSchema = z.object({
  username: required(keys.usernameRequired),
  passphrase: z.string({ error: keys.passphraseRequired }).min(1, { error: keys.passphraseRequired }),
});

export const recoveryFieldsSchema = z.object({
  recoveryKey: required(keys.recoveryKeyRequired),
  username: required(keys.usernameRequired),
  passphrase: newPassphrase,
});

const ownKeys = new Set<string>(Object.values(keys));

/**
 * The message key of the first problem with each field, or an empty object
 * when all is well. Only our own keys are passed on, so nothing typed can
 * reach the screen or a log through a message.
 */
export function staffFieldErrors(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || field in errors) continue;
    errors[field] = ownKeys.has(issue.message) ? issue.message : 'errors.unexpected';
  }
  return errors;
}
