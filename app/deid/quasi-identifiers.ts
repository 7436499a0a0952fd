import { EXTENSION, UCUM } from '../fhir/systems';
import type { AnonymizerConfig } from './anonymizer-config';
import { compact, removeNode, selectNodes } from './fhir-nodes';
import { ageLadder, districtLadder, levelNames, quasiIdentifierNames, sexLadder, valueLadder, zip3Ladder, type BuiltInQuasiIdentifier } from './hierarchies';
import { anyValue, type Ladder } from './k-anonymity';
import { isUsCountry, restrictedZip3, zip3Of } from './partial-redact';

/**
 * The quasi-identifiers of a patient, read from the record as it came in,
 * and written onto its de-identified Patient at the level k-anonymity chose:
 * the age band in place of the birth date, the sex, one address reduced to
 * district and state (or state only, or nothing) with a US ZIP3, and the
 * configuration's own. What is not a quasi-identifier of the run is not
 * released at all: an age band nobody grouped by could single a patient out.
 */

type Json = Record<string, unknown>;

export interface QuasiIdentifier {
  name: string;
  /** A configuration's own: the FHIRPath on Patient that gives it. */
  path?: string;
  levelNames: readonly string[];
}

/** The quasi-identifiers named (`age-band,sex,district,zip3` and the configuration's); throws naming one it does not know. */
export function quasiIdentifiersNamed(names: readonly string[], config: AnonymizerConfig | undefined): QuasiIdentifier[] {
  return names.map((name) => {
    if ((quasiIdentifierNames as readonly string[]).includes(name)) return { name, levelNames: levelNames[name as BuiltInQuasiIdentifier] };
    const own = config?.quasiIdentifiers?.find((q) => q.name === name);
    if (own === undefined) throw new Error(`"${name}" is not a quasi-identifier: use age-band, sex, district, zip3 or one the configuration defines`);
    return { name, path: own.path, levelNames: ['as recorded', 'not given'] };
  });
}

function homeAddress(patient: Json): Json | undefined {
  const addresses = Array.isArray(patient['address']) ? (patient['address'] as Json[]) : [];
  return addresses.find((address) => address['use'] === 'home') ?? addresses[0];
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Age in whole years on `now`, from a date of birth or a year alone (then the age this year reaches). */
export function ageOn(birthDate: string, now: Date): number | undefined {
  const match = /^(\d{4})(?:-(\d{2})-(\d{2}))?/.exec(birthDate);
  if (match === null) return undefined;
  const age = now.getUTCFullYear() - Number(match[1]);
  if (match[2] === undefined) return age;
  const birthdayPassed = now.getUTCMonth() + 1 > Number(match[2]) || (now.getUTCMonth() + 1 === Number(match[2]) && now.getUTCDate() >= Number(match[3]));
  return birthdayPassed ? age : age - 1;
}

function usZip3(address: Json | undefined): string | undefined {
  const code = text(address?.['postalCode']);
  const country = text(address?.['country']);
  if (code === undefined || (country !== undefined && !isUsCountry(country))) return undefined;
  return zip3Of(code, new Set(restrictedZip3));
}

export interface QuasiOptions {
  now: Date;
  /** Safe Harbor releases no district: its ladder starts at the state. */
  districtAllowed: boolean;
}

/** The patient's ladder for each quasi-identifier, from the record as it came in. */
export function patientLadders(patient: Json, quasi: readonly QuasiIdentifier[], options: QuasiOptions): Ladder[] {
  const address = homeAddress(patient);
  return quasi.map((q): Ladder => {
    switch (q.name) {
      case 'age-band':
        return ageLadder(typeof patient['birthDate'] === 'string' ? ageOn(patient['birthDate'], options.now) : undefined);
      case 'sex':
        return sexLadder(text(patient['gender']));
      case 'district': {
        const ladder = districtLadder(text(address?.['state']), text(address?.['district']));
        return options.districtAllowed ? ladder : ladder.slice(1);
      }
      case 'zip3':
        return zip3Ladder(usZip3(address));
      default: {
        const values = q.path === undefined ? [] : selectNodes(patient, q.path).map((place) => place.value);
        return valueLadder(values.length === 0 ? undefined : JSON.stringify(values));
      }
    }
  });
}

function ageBandExtension(band: string): Json {
  const years = (value: number) => ({ value, unit: 'years', system: UCUM, code: 'a' });
  const [low, high] = band.split(/[-+]/).filter((part) => part !== '').map(Number);
  return { url: EXTENSION.ageBand, valueRange: high === undefined ? { low: years(low!) } : { low: years(low!), high: years(high) } };
}

/**
 * Writes the quasi-identifiers at their chosen levels onto the de-identified
 * Patient `out` (from the original `patient`): age band, sex, one address of
 * district/state/country and ZIP3; a configuration's own removed at `*`.
 */
export function releaseQuasiIdentifiers(out: Json, patient: Json, quasi: readonly QuasiIdentifier[], ladders: readonly Ladder[], levels: readonly number[]): Json {
  const at = (name: string): string | undefined => {
    const q = quasi.findIndex((item) => item.name === name);
    if (q < 0) return undefined;
    const ladder = ladders[q]!;
    const value = ladder[Math.min(levels[q]!, ladder.length - 1)];
    return value === anyValue ? undefined : value;
  };
  delete out['birthDate'];
  delete out['_birthDate'];
  const band = at('age-band');
  const others = Array.isArray(out['extension']) ? (out['extension'] as Json[]).filter((item) => item['url'] !== EXTENSION.ageBand) : [];
  const extension = band !== undefined && band !== 'unknown' ? [...others, ageBandExtension(band)] : others;
  if (extension.length > 0) out['extension'] = extension;
  else delete out['extension'];

  const sex = at('sex');
  if (sex !== undefined && sex !== 'unknown') out['gender'] = sex;
  else delete out['gender'];

  const original = homeAddress(patient);
  const place = at('district');
  const [state, district] = place === undefined ? [] : place.includes('/') ? place.split('/') : [place];
  const zip3 = at('zip3');
  const address: Json = {};
  if (district !== undefined && district !== 'unknown') address['district'] = district;
  if (state !== undefined && state !== 'unknown') address['state'] = state;
  if (zip3 !== undefined && zip3 !== 'unknown') address['postalCode'] = zip3;
  const country = text(original?.['country']);
  if (country !== undefined) address['country'] = country;
  if (Object.keys(address).length > 0) out['address'] = [address];
  else delete out['address'];

  quasi.forEach((q, index) => {
    if (q.path === undefined || ladders[index]![Math.min(levels[index]!, ladders[index]!.length - 1)] !== anyValue) return;
    for (const node of selectNodes(out, q.path)) removeNode(node);
  });
  return compact(out) ?? out;
}
