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

/**
 * When and where a side's edit was made, from its clock value
 * (`<ms>-<counter>-<workstation id>`): this workstation or another one.
 */
export function editedAt(hlc: string, thisWorkstationId: string): { at: Date; here: boolean; node: string } | undefined {
  try {
    const { wallMs, node } = decodeHlc(hlc);
    return { at: new Date(wallMs), here: node === thisWorkstationId, node };
  } catch {
    return undefined;
  }
}
