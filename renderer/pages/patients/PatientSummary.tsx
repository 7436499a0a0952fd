import { useTranslation } from 'react-i18next';
import type { PatientSearchEntry } from '../../../app/search/patient-index';
import { entryAgeText } from './age-text';

/** One line per patient in lists: name, sex, birth year or estimated age, village, clinic number. */
export function PatientSummary({ entry }: { entry: Readonly<PatientSearchEntry> }) {
  const { t } = useTranslation();
  const facts = [t(`patients.sexes.${entry.sex}`), entryAgeText(t, entry, new Date()), entry.village].filter(Boolean);
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
