/**
 * Looks for planted identifying values in de-identified output, the way a
 * reader would find them: ignoring case, accents, spaces and punctuation
 * (`+255 712 345 678` is found as `0712.345.678`'s digits would be), inside
 * base64 data decoded, inside a narrative's text and attributes. Hashes
 * (64 hex digits, UUIDs) are taken out first: a run of hex digits inside a
 * hash is not a leak.
 */

export interface Leak {
  /** The planted value found. */
  value: string;
  /** Where: a JSON path in the output. */
  path: string;
}

export function normalizeForLeaks(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\b[0-9a-f]{64}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, ' ')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Base64 of UTF-8 text, decoded; undefined when the string is not that. */
function decodedText(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    return undefined;
  }
}

function texts(value: string): string[] {
  const found = [value];
  const decoded = decodedText(value);
  if (decoded !== undefined) found.push(decoded);
  if (value.includes('<')) found.push(value.replace(/<[^>]*>/g, ' ').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
  return found;
}

export function findLeaks(output: unknown, planted: readonly string[]): Leak[] {
  const needles = planted.map((value) => ({ value, folded: normalizeForLeaks(value) })).filter((needle) => needle.folded.length >= 4);
  const leaks: Leak[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) visit(item, path === '' ? key : `${path}.${key}`);
    else if (typeof value === 'string' || typeof value === 'number') {
      const haystacks = texts(String(value)).map(normalizeForLeaks);
      for (const needle of needles) if (haystacks.some((haystack) => haystack.includes(needle.folded))) leaks.push({ value: needle.value, path });
    }
  };
  visit(output, '');
  return leaks;
}
