import { crockfordAlphabet, readCrockford } from '../crypto/crockford';
/**
 * Clinic numbers: `XXXX-XXXX-C`, eight random Crockford base32 characters and
 * one check character. Workstations mint them offline without talking to each
 * other, so they are random rather than sequential. 40 random bits give about
 * 1 chance in 5,500 of any clash among 20,000 patients and 1 in 220 among
 * 100,000, so whoever stores a new number must still look for a clash.
 *
 * Check character: the Damm algorithm over an order-32 totally anti-symmetric
 * quasigroup, `x ∘ y = 2·x ⊕ y` in GF(2⁵) (reduction polynomial x⁵ + x² + 1).
 * It detects every single-character substitution and every transposition of
 * two adjacent characters, the check character included. Luhn mod 32 was not
 * chosen because it misses the transposition 0Z ↔ Z0, and Crockford's own
 * mod-37 check needs the extra symbols * ~ $ = U, which are hard to read
 * aloud over a phone.
 */

export const clinicNumberAlphabet = crockfordAlphabet;

const randomLength = 8;
/** Random characters plus the check character. */
export const clinicNumberLength = randomLength + 1;

const valueOf = new Map<string, number>([...clinicNumberAlphabet].map((char, value) => [char, value]));

/** Multiplication by 2 in GF(2⁵), reducing by x⁵ + x² + 1. */
function double(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ 0b100101 : shifted;
}

/** Runs the quasigroup over the values; 0 when a trailing check character is right. */
function dammInterim(values: readonly number[]): number {
  let interim = 0;
  for (const value of values) interim = double(interim) ^ value;
  return interim;
}

function charAt(value: number): string {
  const char = clinicNumberAlphabet[value];
  if (char === undefined) throw new RangeError('clinic number value outside the alphabet');
  return char;
}

function valuesOf(chars: string): number[] {
  return [...chars].map((char) => {
    const value = valueOf.get(char);
    if (value === undefined) throw new RangeError('clinic number character outside the alphabet');
    return value;
  });
}

/** The check character for random characters (already upper case, in the alphabet). */
export function clinicNumberCheckChar(chars: string): string {
  // The check character c must bring the interim to 0: 2·interim ⊕ c = 0.
  return charAt(double(dammInterim(valuesOf(chars))));
}

function format(chars: string): string {
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/**
 * A new clinic number. `randomBytes` must be cryptographically random (for
 * example backed by `crypto.getRandomValues`): guessable numbers would let
 * someone enumerate patients.
 */
export function generateClinicNumber(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(5);
  if (bytes.length < 5) throw new RangeError('randomBytes returned too few bytes');
  // 5 bytes are exactly 40 bits, 8 characters of 5 bits: no modulo bias.
  let bits = 0;
  let bitCount = 0;
  let chars = '';
  for (const byte of bytes.subarray(0, 5)) {
    bits = (bits << 8) | byte;
    bitCount += 8;
    while (bitCount >= 5) {
      bitCount -= 5;
      chars += charAt((bits >> bitCount) & 0b11111);
    }
    bits &= (1 << bitCount) - 1;
  }
  return format(chars + clinicNumberCheckChar(chars));
}

/**
 * The characters of (part of) a clinic number as typed: upper-cased, spaces
 * and dashes dropped, and I/L read as 1 and O as 0, as Crockford base32
 * prescribes, since those are the usual misreadings. Undefined when any other
 * character is outside the alphabet. Any length: search uses it for prefixes.
 */
export function clinicNumberChars(text: string): string | undefined {
  return readCrockford(text);
}

/**
 * The canonical `XXXX-XXXX-C` form of a typed clinic number, or undefined when
 * it has the wrong length or characters. Does not verify the check character:
 * see {@link isValidClinicNumber}.
 */
export function normalizeClinicNumber(text: string): string | undefined {
  const chars = clinicNumberChars(text);
  return chars?.length === clinicNumberLength ? format(chars) : undefined;
}

/** True when the text reads as a clinic number whose check character is right. */
export function isValidClinicNumber(text: string): boolean {
  const chars = clinicNumberChars(text);
  return chars?.length === clinicNumberLength && dammInterim(valuesOf(chars)) === 0;
}
