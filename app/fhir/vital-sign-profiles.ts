/**
 * FHIR R4's vital-signs profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html),
 * by the LOINC code that claims them. An exported vital sign names its
 * profile in `meta.profile`, so a receiver (and tools/fhir/validators.ts)
 * knows which rules it meets: heart rate in `/min`, SpO2 coded 2708-6 in `%`,
 * blood pressure as a panel with no value of its own.
 */

const base = 'http://hl7.org/fhir/StructureDefinition/';

/** The base profile every vital sign meets, and the one for a vital sign with no profile of its own (an unpaired systolic). */
export const vitalSignsProfile = `${base}vitalsigns`;

export const vitalSignProfiles: Readonly<Record<string, string>> = {
  '85353-1': `${base}vitalspanel`,
  '9279-1': `${base}resprate`,
  '8867-4': `${base}heartrate`,
  '2708-6': `${base}oxygensat`,
  '8310-5': `${base}bodytemp`,
  '8302-2': `${base}bodyheight`,
  '9843-4': `${base}headcircum`,
  '29463-7': `${base}bodyweight`,
  '39156-5': `${base}bmi`,
  '85354-9': `${base}bp`,
};

/** The profile a vital sign coded `loinc` claims: its own, or the base one. */
export function vitalSignProfileFor(loinc: string): string {
  return vitalSignProfiles[loinc] ?? vitalSignsProfile;
}
