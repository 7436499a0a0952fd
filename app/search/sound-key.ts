/**
 * A phonetic key for one name term, so spellings that sound alike in our
 * clinics' languages find each other: "Phiri" and "Firi", "Thomas" and
 * "Tomas", "Moussa" and "Musa", "Camara" and "Kamara", "Hawa" and "Awa".
 *
 * Written here rather than taken from npm: the maintained phonetic packages
 * (Soundex, Metaphone, Cologne, the `natural` and `talisman` families) encode
 * English, German or French pronunciation and drop vowels, which would merge
 * most Bantu names ("Banda", "Bondo", "Bunda") into one key. These few rules
 * are the spelling variations registers in Southern and Eastern Africa and
 * francophone West Africa actually show; typos are still left to the fuzzy
 * search, which runs on these keys.
 *
 * Each rule looks at most one letter ahead, so the key of a prefix is (almost
 * always) a prefix of the key: search as you type keeps working.
 *
 * Input: one term already folded by `foldText` (lower case, no accents).
 */
export function soundKey(term: string): string {
  let key = '';
  let last = '';
  for (let i = 0; i < term.length; i += 1) {
    let letter = term.charAt(i);
    const next = term.charAt(i + 1);
    if (letter === 'p' && next === 'h') {
      // Phiri, Firi; Joseph, Josef.
      letter = 'f';
      i += 1;
    } else if (next === 'h' && (letter === 't' || letter === 'd' || letter === 'b' || letter === 'k' || letter === 'g')) {
      // Thomas, Tomas; Dhahabu; Bheki; Khadija, Kadija; Ghana. "sh" and "ch" are sounds of their own and stay.
      i += 1;
    } else if (letter === 'h' && i === 0) {
      // A dropped initial h: Hawa, Awa; Hamadou, Amadou.
      continue;
    } else if (letter === 'd' && next === 'j') {
      // Djibril, Jibril; Djeneba, Jeneba.
      letter = 'j';
      i += 1;
    } else if (letter === 'o' && next === 'u') {
      // French spelling of u: Moussa, Musa; Ousmane, Usman; Coulibaly, Kulibaly.
      letter = 'u';
      i += 1;
    } else if (letter === 'c' && next !== 'h') {
      // Camara, Kamara; Cécile, Sesile.
      letter = next === 'e' || next === 'i' || next === 'y' ? 's' : 'k';
    }
    // Doubled letters written single: Phillip, Filip; Mwanna, Mwana.
    if (letter === last) continue;
    key += letter;
    last = letter;
  }
  return key;
}
