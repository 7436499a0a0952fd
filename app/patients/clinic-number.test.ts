import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  clinicNumberAlphabet,
  clinicNumberCheckChar,
  clinicNumberChars,
  generateClinicNumber,
  isValidClinicNumber,
  normalizeClinicNumber,
} from './clinic-number';

const randomBytes = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
const shape = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;

/** The 9 characters without dashes. */
const charsOf = (number: string) => number.replace(/-/g, '');
const withChar = (chars: string, at: number, char: string) => chars.slice(0, at) + char + chars.slice(at + 1);
const swapped = (chars: string, at: number) => chars.slice(0, at) + chars.charAt(at + 1) + chars.charAt(at) + chars.slice(at + 2);

describe('generateClinicNumber', () => {
  it('makes XXXX-XXXX-C from the Crockford alphabet, with a valid check character', () => {
    for (let i = 0; i < 1000; i += 1) {
      const number = generateClinicNumber(randomBytes);
      expect(number).toMatch(shape);
      expect(isValidClinicNumber(number)).toBe(true);
    }
  });

  it('uses exactly 40 random bits, 5 per character', () => {
    expect(generateClinicNumber(() => new Uint8Array(5))).toBe(`0000-0000-${clinicNumberCheckChar('00000000')}`);
    // 0xff.. is all ones: every 5-bit group is 31, the last letter.
    expect(generateClinicNumber(() => new Uint8Array(5).fill(0xff)).slice(0, 9)).toBe('ZZZZ-ZZZZ');
    // 0b00001_00010_00011_00100_00101_00110_00111_01000
    const bytes = Uint8Array.of(0b00001000, 0b10000110, 0b01000010, 0b10011000, 0b11101000);
    expect(generateClinicNumber(() => bytes).slice(0, 9)).toBe('1234-5678');
  });

  it('asks for 5 bytes and refuses fewer', () => {
    const asked: number[] = [];
    generateClinicNumber((n) => {
      asked.push(n);
      return new Uint8Array(n);
    });
    expect(asked).toEqual([5]);
    expect(() => generateClinicNumber(() => new Uint8Array(4))).toThrow(RangeError);
  });

  it('draws every character of the alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i += 1) for (const char of charsOf(generateClinicNumber(randomBytes)).slice(0, 8)) seen.add(char);
    expect([...seen].sort().join('')).toBe([...clinicNumberAlphabet].sort().join(''));
  });
});

describe('check character (Damm over an order-32 quasigroup)', () => {
  const numbers = Array.from({ length: 400 }, () => generateClinicNumber(randomBytes));

  it('detects every single-character substitution', () => {
    const missed: string[] = [];
    let tried = 0;
    for (const number of numbers) {
      const chars = charsOf(number);
      for (let at = 0; at < chars.length; at += 1) {
        for (const char of clinicNumberAlphabet) {
          if (char === chars.charAt(at)) continue;
          tried += 1;
          if (isValidClinicNumber(withChar(chars, at, char))) missed.push(`${number}: ${char} at ${at}`);
        }
      }
    }
    expect(tried).toBe(numbers.length * 9 * 31);
    expect(missed).toEqual([]);
  });

  it('detects every transposition of two different adjacent characters, the check character included', () => {
    for (const number of numbers) {
      const chars = charsOf(number);
      for (let at = 0; at + 1 < chars.length; at += 1) {
        if (chars.charAt(at) === chars.charAt(at + 1)) continue;
        expect(isValidClinicNumber(swapped(chars, at)), `${number} swapped at ${at}`).toBe(false);
      }
    }
  });

  it('detects the transposition of every pair of different characters at every position', () => {
    const context = charsOf(generateClinicNumber(randomBytes)).slice(0, 8);
    for (let at = 0; at + 1 < 8; at += 1) {
      for (const a of clinicNumberAlphabet) {
        for (const b of clinicNumberAlphabet) {
          if (a === b) continue;
          const random = context.slice(0, at) + a + b + context.slice(at + 2);
          const valid = random + clinicNumberCheckChar(random);
          expect(isValidClinicNumber(valid)).toBe(true);
          expect(isValidClinicNumber(swapped(valid, at))).toBe(false);
        }
      }
    }
  });

  it('catches 0Z <-> Z0, which Luhn mod 32 would miss', () => {
    const valid = `0Z000000${clinicNumberCheckChar('0Z000000')}`;
    expect(isValidClinicNumber(valid)).toBe(true);
    expect(isValidClinicNumber(swapped(valid, 0))).toBe(false);
  });
});

describe('normalizeClinicNumber', () => {
  const number = generateClinicNumber(randomBytes);

  it('accepts any case, with or without dashes and spaces', () => {
    for (const typed of [number, number.toLowerCase(), charsOf(number), ` ${charsOf(number).toLowerCase()} `, number.replace(/-/g, ' ')]) {
      expect(normalizeClinicNumber(typed)).toBe(number);
    }
  });

  it('reads I and L as 1 and O as 0, as Crockford prescribes', () => {
    expect(normalizeClinicNumber('ILO0-1111-0')).toBe('1100-1111-0');
    expect(normalizeClinicNumber('ilo0 1111 0')).toBe('1100-1111-0');
  });

  it('rejects the wrong length or characters outside the alphabet', () => {
    expect(normalizeClinicNumber('')).toBeUndefined();
    expect(normalizeClinicNumber(number.slice(0, -1))).toBeUndefined();
    expect(normalizeClinicNumber(`${number}0`)).toBeUndefined();
    expect(normalizeClinicNumber('UUUU-UUUU-U')).toBeUndefined();
    expect(normalizeClinicNumber('7K3M_9QXA_5')).toBeUndefined();
    expect(normalizeClinicNumber('7K3M-9QXA-#')).toBeUndefined();
  });

  it('does not check the check character', () => {
    const chars = charsOf(number);
    const wrong = withChar(chars, 8, chars.charAt(8) === '0' ? '1' : '0');
    expect(normalizeClinicNumber(wrong)).toBeDefined();
    expect(isValidClinicNumber(wrong)).toBe(false);
  });
});

describe('clinicNumberChars', () => {
  it('keeps partial numbers, for search', () => {
    expect(clinicNumberChars('7k3m-9')).toBe('7K3M9');
    expect(clinicNumberChars('amina')).toBe('AM1NA');
    expect(clinicNumberChars('')).toBe('');
    expect(clinicNumberChars('7k3m+')).toBeUndefined();
  });
});

describe('isValidClinicNumber', () => {
  it('accepts typed forms of a valid number and rejects malformed text', () => {
    const number = generateClinicNumber(randomBytes);
    expect(isValidClinicNumber(number.toLowerCase())).toBe(true);
    expect(isValidClinicNumber(charsOf(number))).toBe(true);
    expect(isValidClinicNumber(number.slice(0, 9))).toBe(false);
    expect(isValidClinicNumber('not a number')).toBe(false);
  });
});
