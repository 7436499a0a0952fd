/**
 * How names become search terms. Both the index and the query go through
 * `foldText`, so accents, case and a few letters that Unicode does not
 * decompose never decide whether a name is found: the same patient is
 * registered as "Ngozí" at one desk and searched as "ngozi" at another.
 */

/** Letters with no Unicode decomposition into base letter plus accent. */
const unaccented: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
  ħ: 'h',
};
const unaccentedPattern = /[ßæœøđðłıþħ]/g;
const beyondPlainAscii = /[^ -~\t\n\r]/;
const apostrophes = /['’ʼ‘`´]/g;

/** Lower case without accents or other combining marks. */
export function foldText(text: string): string {
  // Most text is plain ASCII, which needs no decomposition: this halves the
  // time to load 100,000 patients.
  if (!beyondPlainAscii.test(text)) return text.toLowerCase();
  // Lower-casing first turns "İ" into "i" plus a combining dot, which is then dropped.
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(unaccentedPattern, (letter) => unaccented[letter] ?? letter);
}

/**
 * Terms for a name field. "N'Diaye" and "Jean-Baptiste" are indexed both
 * whole ("ndiaye", "jeanbaptiste") and in parts ("n", "diaye", "jean",
 * "baptiste"), because clerks type them either way.
 */
export function indexNameTerms(name: string): string[] {
  const terms = new Set<string>();
  for (const word of foldText(name).split(/[^\p{L}\p{N}'’ʼ‘`´-]+/u)) {
    const parts = word.split(/['’ʼ‘`´-]+/).filter((part) => part !== '');
    if (parts.length === 0) continue;
    terms.add(parts.join(''));
    if (parts.length > 1) for (const part of parts) terms.add(part);
  }
  return [...terms];
}

/**
 * Terms of a typed query: apostrophes joined ("n'diaye" finds the whole
 * "ndiaye"), hyphens and other punctuation split ("jean-baptiste" finds both
 * parts).
 */
export function queryNameTerms(query: string): string[] {
  return foldText(query)
    .replace(apostrophes, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term !== '');
}
