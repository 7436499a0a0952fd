/**
 * i18n keys for patient validation messages. Zod issues carry these keys
 * instead of English text so the UI can translate them, and so no message can
 * ever quote what was typed (patient data must not reach logs or error
 * reports).
 */
export const patientValidationKeys = {
  invalid: 'validation.patient.invalid',
  givenNamesRequired: 'validation.patient.givenNamesRequired',
  givenNamesTooLong: 'validation.patient.givenNamesTooLong',
  familyNameRequired: 'validation.patient.familyNameRequired',
  familyNameTooLong: 'validation.patient.familyNameTooLong',
  sexRequired: 'validation.patient.sexRequired',
  birthDateInvalid: 'validation.patient.birthDateInvalid',
  birthDateInFuture: 'validation.patient.birthDateInFuture',
  birthDateTooEarly: 'validation.patient.birthDateTooEarly',
  estimatedAgeInvalid: 'validation.patient.estimatedAgeInvalid',
  birthDateOrAge: 'validation.patient.birthDateOrAge',
  birthDateAndAge: 'validation.patient.birthDateAndAge',
  phoneInvalid: 'validation.patient.phoneInvalid',
  villageTooLong: 'validation.patient.villageTooLong',
  addressTooLong: 'validation.patient.addressTooLong',
  nationalIdInvalid: 'validation.patient.nationalIdInvalid',
  nationalIdTooLong: 'validation.patient.nationalIdTooLong',
  clinicNumberInvalid: 'validation.patient.clinicNumberInvalid',
  recordDamaged: 'validation.patient.recordDamaged',
} as const;

export type PatientValidationKey = (typeof patientValidationKeys)[keyof typeof patientValidationKeys];
