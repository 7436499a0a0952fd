import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useConflicts } from './use-conflicts';

/** On a patient's chart: this record has field values two workstations changed apart, waiting for review. */
export function ConflictBanner({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const conflicts = useConflicts(patientId);
  const count = conflicts.data?.length ?? 0;
  if (count === 0) return null;
  return (
    <p className="banner warn" role="status" data-testid="conflict-banner">
      {t('conflicts.banner', { count })} <Link to="/conflicts">{t('conflicts.review')}</Link>
    </p>
  );
}
