import type { TFunction } from 'i18next';
import { deletionField } from '../../../app/conflicts/conflict-record';
import { decodeHlc } from '../../../app/records/hlc';

/** Patient fields with a label on the patient form; others fall back to a generic label with the field's (non-PHI) name. */
const patientFieldLabels: Readonly<Record<string, string>> = {
  givenNames: 'patients.fields.givenNames',
  familyName: 'patients.fields.familyName',
  sex: 'patients.fields.sex',
  birthDate: 'patients.fields.birthDate',
  estimatedAgeYears: 'patients.fields.estimatedAgeYears',
  phone: 'patients.fields.phone',
  village: 'patients.fields.village',
  address: 'patients.fields.address',
  nationalId: 'patients.fields.nationalId',
  clinicNumber: 'patients.clinicNumber',
};

export function fieldLabel(t: TFunction, recordType: string, field: string): string {
  if (field === deletionField) return t('conflicts.deletion');
  const key = recordType === 'patient' ? patientFieldLabels[field] : undefined;
  return key ? t(key) : t('conflicts.otherField', { field });
}

/** A conflicting value as the patient form would show it; null or missing means the field was left empty on that side. */
export function valueText(t: TFunction, locale: string, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('conflicts.empty');
  if (field === deletionField) return value === true ? t('conflicts.deleted') : t('conflicts.notDeleted');
  if (field === 'sex' && typeof value === 'string') return t(`patients.sexes.${value}`, { defaultValue: value });
  if (field === 'birthDate' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Date(`${value}T00:00:00`).toLocaleDateString(locale);
  }
  if (typeof value === 'number') return value.toLocaleString(locale);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Where an edit was made, as a conflict card names it. */
export type EditPlace =
  | { kind: 'here' }
  /** Another workstation whose name arrived by sync. */
  | { kind: 'named'; name: string }
  /** Another workstation whose name is not known here (yet): the end of its id tells workstations apart. */
  | { kind: 'unnamed'; shortId: string };

/**
 * When and where a side's edit was made, from its clock value
 * (`<ms>-<counter>-<workstation id>`): this workstation, or another one by
 * its name when `workstationNames` has it.
 */
export function editedAt(hlc: string, thisWorkstationId: string, workstationNames: Readonly<Record<string, string>>): { at: Date; place: EditPlace } | undefined {
  let wallMs: number;
  let node: string;
  try {
    ({ wallMs, node } = decodeHlc(hlc));
  } catch {
    return undefined;
  }
  const place: EditPlace =
    node === thisWorkstationId
      ? { kind: 'here' }
      : Object.hasOwn(workstationNames, node)
        ? { kind: 'named', name: workstationNames[node]! }
        : { kind: 'unnamed', shortId: node.slice(-6) };
  return { at: new Date(wallMs), place };
}

/** "Entered by <who> on <where>, <when>"; `who` undefined when the audit entries do not tell. */
export function originText(t: TFunction, place: EditPlace, when: string, who: string | undefined): string {
  switch (place.kind) {
    case 'here':
      return who === undefined ? t('conflicts.editedHere', { when }) : t('conflicts.editedHereBy', { when, who });
    case 'named':
      return who === undefined ? t('conflicts.editedOn', { when, workstation: place.name }) : t('conflicts.editedOnBy', { when, who, workstation: place.name });
    case 'unnamed':
      return who === undefined ? t('conflicts.editedElsewhere', { when, workstation: place.shortId }) : t('conflicts.editedElsewhereBy', { when, who, workstation: place.shortId });
  }
}
