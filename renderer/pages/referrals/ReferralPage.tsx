import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorText } from '../../errors';
import { FacilitiesPage } from '../facilities/FacilitiesPage';
import { ReferralForm } from './ReferralForm';
import { usePatient } from '../patients/use-patient';

/** Referring a patient: the facilities map, ranked for what the patient needs, and the referral beside the facility chosen. */
export function ReferralPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const patient = usePatient(id);
  if (patient.isError) return <p className="error">{errorText(t, patient.error)}</p>;
  if (!patient.data) return <p>{t('settings.loading')}</p>;
  const p = patient.data;
  return (
    <>
      <p>
        <Link to={`/patients/${p.id}`}>{t('referrals.backToChart')}</Link>
      </p>
      <FacilitiesPage
        title={t('referrals.pageTitle', { name: `${p.familyName.toUpperCase()}, ${p.givenNames}` })}
        actionFor={(chosen) => <ReferralForm key={`${chosen.entry.id}`} patientId={p.id} choice={{ facilityId: chosen.entry.id, facilityName: chosen.name, capability: chosen.capability, ...(chosen.route ? { route: chosen.route } : {}) }} />}
      />
    </>
  );
}
