/**
 * i18n keys for observation validation messages. Zod issues carry these keys
 * (and, where a message names a range, `params` with `low` and `high`) instead
 * of English text, so the UI can translate them and no message can quote a
 * typed or measured value into a log.
 */
export const observationValidationKeys = {
  /** Anything not covered by a more specific key below. */
  invalid: 'validation.observation.invalid',
  /** A stored observation that fails its schema: an id, a date or its source is malformed. */
  recordDamaged: 'validation.observation.recordDamaged',
  kindUnknown: 'validation.observation.kindUnknown',
  /** The LOINC code is not the one the vital-signs table gives the kind. */
  codeMismatch: 'validation.observation.codeMismatch',
  /** The unit is not the UCUM unit the vital-signs table gives the kind. */
  unitMismatch: 'validation.observation.unitMismatch',
  notANumber: 'validation.observation.notANumber',
  /** `{{low}}`, `{{high}}`, `{{unit}}`: outside the range a measured patient can have. */
  implausible: 'validation.observation.implausible',
  /** A comparator other than `>` (above the meter's range) or `<` (below it). */
  comparatorInvalid: 'validation.observation.comparatorInvalid',
  /** "Beyond the meter's range" only comes from a meter, never from a typed value. */
  comparatorNotFromDevice: 'validation.observation.comparatorNotFromDevice',

  // Manual entry, one key per field problem. `...Invalid` messages take
  // `{{low}}` and `{{high}}` (the plausible range) and say the expected format.
  respiratoryRateRequired: 'validation.observation.respiratoryRateRequired',
  respiratoryRateInvalid: 'validation.observation.respiratoryRateInvalid',
  consciousnessRequired: 'validation.observation.consciousnessRequired',
  temperatureRequired: 'validation.observation.temperatureRequired',
  temperatureInvalid: 'validation.observation.temperatureInvalid',
  systolicRequired: 'validation.observation.systolicRequired',
  systolicInvalid: 'validation.observation.systolicInvalid',
  diastolicRequired: 'validation.observation.diastolicRequired',
  diastolicInvalid: 'validation.observation.diastolicInvalid',
  systolicNotAboveDiastolic: 'validation.observation.systolicNotAboveDiastolic',
  spo2Invalid: 'validation.observation.spo2Invalid',
  /** Air or oxygen is recorded with the SpO2 reading, so it needs one. */
  spo2Required: 'validation.observation.spo2Required',
  onOxygenRequired: 'validation.observation.onOxygenRequired',
  spo2ScaleInvalid: 'validation.observation.spo2ScaleInvalid',
  pulseInvalid: 'validation.observation.pulseInvalid',
  weightInvalid: 'validation.observation.weightInvalid',
  /** Manual entry with every field blank: nothing to store. */
  nothingEntered: 'validation.observation.nothingEntered',
} as const;

export type ObservationValidationKey = (typeof observationValidationKeys)[keyof typeof observationValidationKeys];

/** Every key, for the translation catalogue check. */
export const observationValidationKeyList: readonly ObservationValidationKey[] = Object.values(observationValidationKeys);
