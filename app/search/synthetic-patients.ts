import { generateClinicNumber } from '../patients/clinic-number';
import type { PatientSearchEntry } from './search-entry';

/**
 * Made-up patients for tests and benchmarks: names from West and East Africa,
 * France and the Arab world, with the accents, apostrophes, hyphens and
 * particles real registers have. Never real people. Seeded, so a failing test
 * or a benchmark figure can be reproduced.
 */

/** mulberry32: small, fast, and good enough to draw test data (not for secrets). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
}

function digits(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i += 1) text += String(Math.floor(random() * 10));
  return text;
}

export const femaleGivenNames = [
  // West Africa
  'Amina', 'Aminata', 'Fatoumata', 'Mariama', 'Aïssatou', 'Kadiatou', 'Hawa', 'Binta', 'Coumba', 'Ndèye',
  'Khady', 'Awa', 'Oumou', 'Djénéba', 'Rokia', 'Ngozi', 'Ngozí', 'Chiamaka', 'Adaeze', 'Chidinma', 'Nkechi',
  'Folake', 'Yetunde', 'Funmilayo', 'Abimbola', 'Oluwakemi', 'Abena', 'Akosua', 'Adjoa', 'Efua', 'Yaa',
  'Hadiza', 'Zainab', 'Hauwa', 'Maimuna', 'Salamatu',
  // East Africa
  'Wanjiru', 'Njeri', 'Wambui', 'Nyokabi', 'Akinyi', 'Atieno', 'Achieng', 'Neema', 'Rehema', 'Upendo',
  'Zawadi', 'Imani', 'Mwanaisha', 'Tumaini', 'Furaha', 'Tigist', 'Meseret', 'Selamawit', 'Hiwot', 'Almaz',
  'Hodan', 'Faadumo', 'Ayaan', 'Nasra', 'Nakato', 'Namubiru', 'Auma',
  // French
  'Marie', 'Élodie', 'Hélène', 'Chloé', 'Zoë', 'Léa', 'Françoise', 'Geneviève', 'Céline', 'Maëlle',
  'Noémie', 'Mathilde', 'Béatrice', 'Joséphine', 'Thérèse', 'Anaïs', 'Camille', 'Sophie', 'Manon',
  'Inès', 'Agnès', 'Cécile', 'Solène',
  // Arabic
  'Aïcha', 'Fatima', 'Khadija', 'Maryam', 'Salma', 'Yasmine', 'Nour', 'Layla', 'Hanane', 'Samira',
  'Nadia', 'Imane', 'Soukaïna', 'Zineb', 'Asmaa', 'Houda', 'Ghita', 'Latifa', 'Naïma', 'Safae',
  'Hajar', 'Meriem', 'Rania', 'Dounia',
] as const;

export const maleGivenNames = [
  // West Africa
  'Mamadou', 'Moussa', 'Ibrahima', 'Ousmane', 'Abdoulaye', 'Boubacar', 'Amadou', 'Souleymane', 'Cheikh',
  'Modou', 'Lamine', 'Sékou', 'Alassane', 'Thierno', 'Alpha', 'Chinedu', 'Emeka', 'Obinna', 'Chukwuemeka',
  'Ikechukwu', 'Oluwaseun', 'Babatunde', 'Olumide', 'Adebayo', 'Olusegun', 'Kwame', 'Kofi', 'Kwabena',
  'Kwaku', 'Yaw', 'Aliyu', 'Abubakar', 'Usman', 'Sani',
  // East Africa
  'Kamau', 'Otieno', 'Ochieng', 'Mwangi', 'Kipchoge', 'Baraka', 'Juma', 'Hamisi', 'Bakari', 'Salim',
  'Tesfaye', 'Dawit', 'Yohannes', 'Abebe', 'Girma', 'Abdi', 'Abdirahman', 'Mukasa', 'Ssempijja', 'Wekesa',
  'Njoroge', 'Onyango',
  // French
  'Jean', 'Pierre', 'Jean-Baptiste', 'François', 'Étienne', 'Jérôme', 'Benoît', 'Raphaël', 'Noël', 'Loïc',
  'Hervé', 'Frédéric', 'Gaël', 'Théo', 'Rémi', 'Céleste', 'Joël', 'Mathéo', 'Aurélien', 'Grégoire',
  'Clément', 'Sébastien',
  // Arabic
  'Mohamed', 'Mohammed', 'Ahmed', 'Youssef', 'Omar', 'Khalid', 'Hassan', 'Hussein', 'Karim', 'Rachid',
  'Saïd', 'Mehdi', 'Hamza', 'Anas', 'Bilal', 'Ali', 'Ayoub', 'Idriss', 'Ismaïl', 'Mustapha', 'Abdelkader',
  'Nabil', 'Tarik', 'Walid',
] as const;

export const familyNames = [
  // West Africa
  'Diallo', 'Bah', 'Barry', 'Sow', 'Camara', 'Traoré', 'Koné', 'Touré', 'Keïta', 'Cissé', 'Coulibaly',
  'Sylla', 'Konaté', 'Sangaré', 'Diop', 'Ndiaye', "N'Diaye", 'Fall', 'Faye', 'Sarr', 'Mbaye', 'Gueye',
  'Seck', 'Dembélé', 'Doumbia', 'Kouyaté', 'Okafor', 'Okonkwo', 'Eze', 'Nwosu', 'Nwachukwu', 'Adeyemi',
  'Okoro', 'Balogun', 'Oyelaran', 'Adebisi', 'Mensah', 'Asante', 'Owusu', 'Boateng', 'Appiah', 'Ofori',
  'Bello', 'Danjuma', 'Yakubu', 'Abdullahi',
  // East Africa
  'Mwangi', 'Kamau', 'Otieno', 'Odhiambo', 'Wanjiku', 'Kariuki', 'Njoroge', 'Kiprotich', 'Mutua', 'Okello',
  'Mushi', 'Massawe', 'Mrema', 'Kimaro', 'Mollel', 'Haile', 'Tesfaye', 'Bekele', 'Gebremedhin', 'Alemu',
  'Warsame', 'Farah', 'Abdi', 'Nakamya', 'Ssekandi', 'Wafula', 'Chebet', 'Rotich', 'Omondi', 'Achieng',
  // French
  'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Rousseau', 'Bonnet', 'Mercier', 'Lefebvre',
  'Garnier', 'Chevalier', 'Müller', 'Mathieu', 'Faure', 'Fontaine', 'Guérin', 'Bérubé', 'Côté', 'Gagné',
  'Perrin', 'Roussel', 'Lemaître', 'Besnard', 'Daudé',
  // Arabic
  'El Amrani', 'Benali', 'Bennani', 'Alaoui', 'El Idrissi', 'Haddad', 'Khoury', 'Mansour', 'Saleh',
  'Ben Youssef', 'Ould Mohamed', 'Al-Hassan', 'Abdel-Rahman', 'Chraïbi', 'Tazi', 'Berrada', 'Benjelloun',
  'Zerhouni', 'Bouzid', 'Belkacem', 'Meziane', 'Hamdi', 'Boukhari', 'Cherkaoui', 'El Fassi',
] as const;

export const villages = [
  'Kindia', 'Labé', 'Kankan', 'Mamou', 'Tambacounda', 'Kaolack', 'Thiès', 'Ziguinchor', 'Ségou', 'Sikasso',
  'Kayes', 'Mopti', 'Bouaké', 'Korhogo', 'Kumasi', 'Tamale', 'Ibadan', 'Enugu', 'Kano', 'Zaria', 'Kisumu',
  'Nakuru', 'Eldoret', 'Machakos', 'Nyeri', 'Arusha', 'Moshi', 'Dodoma', 'Mwanza', 'Iringa', 'Gondar',
  'Bahir Dar', 'Hawassa', 'Hargeisa', 'Kismayo', 'Aït Ourir', 'Taroudant', 'Essaouira', 'Tiznit',
  'Ouarzazate', 'Sétif', 'Béjaïa',
] as const;

const countryCodes = ['224', '221', '223', '225', '233', '234', '254', '255', '251', '252', '212', '213'] as const;

function phone(random: Random): string | undefined {
  const roll = random();
  const subscriber = `${pick(random, ['6', '7'])}${digits(random, 8)}`;
  if (roll < 0.6) return `+${pick(random, countryCodes)}${subscriber}`;
  if (roll < 0.85) return `0${subscriber}`;
  return undefined;
}

function nationalId(random: Random): string | undefined {
  const roll = random();
  if (roll < 0.15) return `GN-${digits(random, 8)}`;
  if (roll < 0.3) return `${digits(random, 1)} ${digits(random, 3)} ${digits(random, 3)} ${digits(random, 3)} ${digits(random, 3)}`;
  if (roll < 0.45) {
    const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
    return `${pick(random, [...letters])}${pick(random, [...letters])}${digits(random, 6)}`;
  }
  if (roll < 0.6) return `CM ${digits(random, 4)} ${digits(random, 4)}`;
  return undefined;
}

function givenNames(random: Random, names: readonly string[]): string {
  const first = pick(random, names);
  if (random() >= 0.25) return first;
  const second = pick(random, names);
  return second === first ? first : `${first} ${second}`;
}

/** Byte source for clinic numbers drawn from the seeded generator (tests only: not secret). */
export function seededBytes(random: Random): (n: number) => Uint8Array {
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

/** `count` made-up patients, the same ones for the same seed. */
export function generateSyntheticPatients(count: number, seed = 1): PatientSearchEntry[] {
  const random = seededRandom(seed);
  const bytes = seededBytes(random);
  const patients: PatientSearchEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const female = roll < 0.5;
    const entry: PatientSearchEntry = {
      id: `synthetic-${String(i).padStart(7, '0')}`,
      clinicNumber: generateClinicNumber(bytes),
      givenNames: givenNames(random, female ? femaleGivenNames : maleGivenNames),
      familyName: pick(random, familyNames),
      sex: roll < 0.495 ? 'female' : roll < 0.99 ? 'male' : roll < 0.995 ? 'other' : 'unknown',
      birthYear: 1935 + Math.floor(random() * 90),
    };
    const number = phone(random);
    if (number !== undefined) entry.phone = number;
    const id = nationalId(random);
    if (id !== undefined) entry.nationalId = id;
    if (random() < 0.9) entry.village = pick(random, villages);
    patients.push(entry);
  }
  return patients;
}

/** Without accents, as most clerks type on a plain keyboard. */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

export const typoKinds = ['drop', 'swap', 'replace', 'insert'] as const;
export type TypoKind = (typeof typoKinds)[number];

const letters = 'abcdefghijklmnopqrstuvwxyz';

function otherLetter(random: Random, not: string): string {
  let letter = pick(random, [...letters]);
  while (letter === not.toLowerCase()) letter = pick(random, [...letters]);
  return letter;
}

/**
 * One realistic slip in a word: a letter dropped, two neighbours swapped, a
 * letter replaced or one inserted. Undefined when the word cannot take that
 * slip (a swap needs two different neighbours).
 */
export function misspell(word: string, kind: TypoKind, random: Random): string | undefined {
  const at = Math.floor(random() * word.length);
  switch (kind) {
    case 'drop':
      return word.slice(0, at) + word.slice(at + 1);
    case 'replace':
      return word.slice(0, at) + otherLetter(random, word.charAt(at)) + word.slice(at + 1);
    case 'insert':
      return word.slice(0, at) + pick(random, [...letters]) + word.slice(at);
    case 'swap': {
      const positions = [...word.slice(1)].map((_, i) => i).filter((i) => word.charAt(i) !== word.charAt(i + 1));
      if (positions.length === 0) return undefined;
      const i = pick(random, positions);
      return word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
    }
  }
}

/** Shortest word given a typo: shorter query terms are matched exactly, by design. */
export const minTypoWordLength = 5;

/**
 * What a clerk might type for a patient, with one slip in one word of at least
 * {@link minTypoWordLength} letters: first given name and family name, accents
 * dropped. Undefined when no word is long enough.
 */
export function misspeltNameQuery(entry: PatientSearchEntry, random: Random): string | undefined {
  const firstGiven = entry.givenNames.split(' ')[0] ?? entry.givenNames;
  const words = stripAccents(`${firstGiven} ${entry.familyName}`).split(/([\s'-]+)/);
  const candidates = words.map((word, i) => i).filter((i) => /^\p{L}+$/u.test(words[i] ?? '') && (words[i] ?? '').length >= minTypoWordLength);
  if (candidates.length === 0) return undefined;
  const i = pick(random, candidates);
  const typo = misspell(words[i] ?? '', pick(random, typoKinds), random);
  if (typo === undefined) return undefined;
  words[i] = typo;
  return words.join('');
}
