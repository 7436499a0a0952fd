/** Phone numbers as clerks type them, and the compact form that is stored. */

/** Digits, with an optional leading +, and the spaces, dashes and parentheses people type. */
const typedPhonePattern = /^\+?[\d\s()-]+$/;
const minDigits = 7;
/** The ITU-T E.164 maximum. */
const maxDigits = 15;

/** Digits only, keeping a leading + (which says the country code is included); undefined if not a phone number. */
export function normalizePhone(text: string): string | undefined {
  const trimmed = text.trim();
  if (!typedPhonePattern.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < minDigits || digits.length > maxDigits) return undefined;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}
