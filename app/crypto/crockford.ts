/**
 * Crockford base32: digits and capitals without I, L, O and U, so a code reads
 * aloud and copies by hand without confusion. Recovery keys, enrollment codes
 * and clinic numbers all use it.
 */
export const crockfordAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * What a person typed, as Crockford symbols: case folded, spaces and dashes
 * dropped, I and L read as 1 and O as 0 (the usual misreadings). Undefined
 * when any other character remains.
 */
export function readCrockford(text: string): string | undefined {
  const symbols = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  for (const symbol of symbols) if (!crockfordAlphabet.includes(symbol)) return undefined;
  return symbols;
}
