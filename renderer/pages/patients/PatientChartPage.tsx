import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ageOn } from '../../../app/patients/patient';
import { errorText } from '../../errors';
import { formatDate } from '../../format/format';
import { useFormatContext } from '../../vault/use-clinic-settings';
import { ConflictBanner } from '../conflicts/ConflictBanner';
import { ReferralsSection } from '../referrals/ReferralsSection';
import { ConsentSection } from './ConsentSection';
import { VitalsSection } from './VitalsSection';
import { usePatient } from './use-patient';

/** The patient chart: demographics, vital signs, referrals and research consent. */
export function PatientChartPage() {
  const { t } = useTranslation();
  const format = useFormatContext();
  const { id = '' } = useParams();
  const patient = usePatient(id);
  if (patient.isError) return <p className="error">{errorText(t, patient.error)}</p>;
  if (!patient.data) return <p>{t('settings.loading')}</p>;
  const p = patient.data;
  const age = ageOn(p, new Date());
  const shown = (value: string | undefined) => value ?? <span className="muted">{t('patients.notGiven')}</span>;
  // An estimate reads "about 70 years" here as in every list: never a birth year, which would look exact.
  const ageText = age.estimated ? t('patients.ageEstimated', { years: age.years }) : t('patients.age', { years: age.years });

  return (
    <section aria-labelledby="chart-title">
      <ConflictBanner patientId={p.id} />
      <div className="page-head">
        <div>
          <h1 id="chart-title">
            {p.familyName.toUpperCase()}, {p.givenNames}
          </h1>
          <p className="muted" data-testid="chart-header-facts">
            {t(`patients.sexes.${p.sex}`)} · {ageText}
          </p>
        </div>
        <Link className="button secondary" to={`/patients/${p.id}/edit`}>
          {t('patients.edit')}
        </Link>
      </div>
      <div className="card">
        <h2>{t('patients.demographics')}</h2>
        <dl className="facts" data-testid="demographics">
          <dt>{t('patients.clinicNumber')}</dt>
          <dd className="clinic-number">{p.clinicNumber}</dd>
          <dt>{t('patients.fields.sex')}</dt>
          <dd>{t(`patients.sexes.${p.sex}`)}</dd>
          <dt>{p.birthDate ? t('patients.fields.birthDate') : t('patients.fields.estimatedAgeYears')}</dt>
          <dd>
            {p.birthDate ? `${formatDate(new Date(`${p.birthDate}T00:00:00`).getTime(), format)} · ` : ''}
            {ageText}
          </dd>
          <dt>{t('patients.fields.phone')}</dt>
          <dd>{shown(p.phone)}</dd>
          <dt>{t('patients.fields.village')}</dt>
          <dd>{shown(p.village)}</dd>
          <dt>{t('patients.fields.address')}</dt>
          <dd>{shown(p.address)}</dd>
          <dt>{t('patients.fields.nationalId')}</dt>
          <dd>{shown(p.nationalId)}</dd>
          <dt>{t('patients.registered')}</dt>
          <dd>{formatDate(Date.parse(p.createdAt), format)}</dd>
        </dl>
      </div>
      <VitalsSection patientId={p.id} />
      <ReferralsSection patientId={p.id} />
      <ConsentSection patientId={p.id} />
    </section>
  );
}
