import { foldText } from './name-terms';

/**
 * The significant digits of a phone number, as typed or stored: a leading
 * trunk 0 (national format) or 00 (international call prefix) is dropped, so
 * "0712 345 678" and "+255 712 345 678" share the digits "712345678".
 */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  if (text.trimStart().startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  if (digits.startsWith('0')) return digits.slice(1);
  return digits;
}

/** Typed phone numbers: digits with the + ( ) - and spaces people put between them. */
const phoneQueryPattern = /^[\d\s+()-]+$/;
/** Fewer digits would match too many unrelated numbers. */
const minPhoneQueryDigits = 6;

/** The digits to look for when a query reads as (part of) a phone number. */
export function phoneQueryDigits(query: string): string | undefined {
  if (!phoneQueryPattern.test(query)) return undefined;
  if (query.replace(/\D/g, '').length < minPhoneQueryDigits) return undefined;
  return phoneDigits(query);
}

/**
 * National IDs compared without case, accents, spaces, dashes, slashes or
 * dots, as they are printed and typed differently: "123456/78/1" and
 * "123456781" are the same NRC.
 */
export function nationalIdKey(text: string): string {
  return foldText(text).replace(/[\s/.-]/g, '');
}
