import { anyValue, type Ladder } from './k-anonymity';

/**
 * Generalisation hierarchies of the quasi-identifiers public health asks
 * for: age band, sex, district (then state), ZIP3. Each turns a patient's
 * value into its ladder, most precise first, `*` last. A missing value is a
 * value of its own (`unknown`): a group of patients without a district is
 * as small or as large as it is.
 */

export const unknownValue = 'unknown';

export const quasiIdentifierNames = ['age-band', 'sex', 'district', 'zip3'] as const;
export type BuiltInQuasiIdentifier = (typeof quasiIdentifierNames)[number];

/** What each level of each hierarchy is called, for the report. */
export const levelNames: Record<BuiltInQuasiIdentifier, readonly string[]> = {
  'age-band': ['5-year band', '10-year band', '20-year band', 'not given'],
  sex: ['as recorded', 'not given'],
  district: ['district', 'state or region only', 'not given'],
  zip3: ['first three digits', 'not given'],
};

/** `[low, high]` of the band of `width` years holding `age`; 90 and over is one band, as Safe Harbor has it. */
export function ageBand(age: number, width: number): string {
  if (age >= 90) return '90+';
  const low = Math.floor(age / width) * width;
  return `${low}-${Math.min(low + width - 1, 89)}`;
}

export function ageLadder(age: number | undefined): Ladder {
  if (age === undefined) return [unknownValue, unknownValue, unknownValue, anyValue];
  return [ageBand(age, 5), ageBand(age, 10), ageBand(age, 20), anyValue];
}

export const sexLadder = (sex: string | undefined): Ladder => [sex ?? unknownValue, anyValue];

export const districtLadder = (state: string | undefined, district: string | undefined): Ladder => [`${state ?? unknownValue}/${district ?? unknownValue}`, state ?? unknownValue, anyValue];

export const zip3Ladder = (zip3: string | undefined): Ladder => [zip3 ?? unknownValue, anyValue];

/** A quasi-identifier a configuration defines (a FHIRPath on Patient): as recorded, or not given. */
export const valueLadder = (value: string | undefined): Ladder => [value ?? unknownValue, anyValue];
