import type { ObservationValidationKey } from '../../observations/validation-keys';
import type { PatientValidationKey } from '../../patients/validation-keys';

/**
 * Why a resource cannot be imported, as message keys the screens translate
 * (renderer/i18n, `import.problem.*`), with the place: the file, its line or
 * Bundle entry, and the FHIR path of the element. Keys, never text built from
 * the file: a problem names where PHI is, never the PHI itself.
 */
export const importProblemKeys = {
  // The file itself.
  notJson: 'import.problem.notJson',
  notResource: 'import.problem.notResource',
  entryWithoutResource: 'import.problem.entryWithoutResource',
  entryNotList: 'import.problem.entryNotList',
  // FHIR's rules for an element.
  required: 'import.problem.required',
  wrongType: 'import.problem.wrongType',
  notAllowedValue: 'import.problem.notAllowedValue',
  empty: 'import.problem.empty',
  notFhirId: 'import.problem.notFhirId',
  notFhirDate: 'import.problem.notFhirDate',
  notFhirDateTime: 'import.problem.notFhirDateTime',
  notNumber: 'import.problem.notNumber',
  notWholeNumber: 'import.problem.notWholeNumber',
  notBoolean: 'import.problem.notBoolean',
  notBase64: 'import.problem.notBase64',
  notGender: 'import.problem.notGender',
  notComparator: 'import.problem.notComparator',
  notStatus: 'import.problem.notStatus',
  notResourceType: 'import.problem.notResourceType',
  // What the workstation needs to keep it.
  noName: 'import.problem.noName',
  noBirthDate: 'import.problem.noBirthDate',
  noSubject: 'import.problem.noSubject',
  unknownPatient: 'import.problem.unknownPatient',
  noTime: 'import.problem.noTime',
  noValue: 'import.problem.noValue',
  /** `{{unit}}` the file's, `{{expected}}` the workstation's. */
  unitNotConvertible: 'import.problem.unitNotConvertible',
  comparatorNeedsDevice: 'import.problem.comparatorNeedsDevice',
  bloodPressureHalves: 'import.problem.bloodPressureHalves',
  consciousnessValue: 'import.problem.consciousnessValue',
  sameIdTwice: 'import.problem.sameIdTwice',
  /** A patient in the file and another one here share the clinic number or national ID: which is meant is a person's decision. */
  ambiguousMatch: 'import.problem.ambiguousMatch',
} as const;

export type ImportProblemKey = (typeof importProblemKeys)[keyof typeof importProblemKeys];

export interface ImportPlace {
  file: string;
  /** NDJSON: the line, from 1. */
  line?: number | undefined;
  /** A Bundle: the entry, from 1. */
  entry?: number | undefined;
}

export interface ImportProblem extends ImportPlace {
  /** `Patient.name[0].family`; the resource type alone when the problem is the whole resource. */
  path: string;
  /** Ours, or the store's own validation key when its schema refused the mapped record. */
  key: ImportProblemKey | PatientValidationKey | ObservationValidationKey;
  params?: Record<string, string | number> | undefined;
}
