import { useTranslation } from 'react-i18next';
import type { PatientSearchEntry } from '../../../app/search/patient-index';

/** One line per patient in lists: name, sex, birth year, village, clinic number. */
export function PatientSummary({ entry }: { entry: PatientSearchEntry }) {
  const { t } = useTranslation();
  const facts = [t(`patients.sexes.${entry.sex}`), entry.birthYear ? t('patients.born', { year: entry.birthYear }) : undefined, entry.village].filter(Boolean);
  return (
    <span className="patient-summary">
      <strong>
        {entry.familyName.toUpperCase()}, {entry.givenNames}
      </strong>
      <span className="muted"> · {facts.join(' · ')}</span>
      <span className="clinic-number">
        {t('patients.clinicNumber')} {entry.clinicNumber}
      </span>
    </span>
  );
}
