import { useTranslation } from 'react-i18next';
import { errorText } from '../../errors';
import { ConflictCard } from './ConflictCard';
import { KeptAsideNotice } from './KeptAsideNotice';
import { useConflicts } from './use-conflicts';

/**
 * Field values two workstations changed apart: the merge kept the later one
 * and parked the other here. A clinician or administrator chooses; the choice
 * replicates, and the conflict closes on every workstation. An administrator
 * also finds here the arrivals from the hub that could not be opened.
 */
export function ConflictsPage() {
  const { t } = useTranslation();
  const conflicts = useConflicts();
  return (
    <section aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">{t('conflicts.title')}</h1>
      <p>{t('conflicts.intro')}</p>
      <KeptAsideNotice />
      {conflicts.isError && <p className="error">{errorText(t, conflicts.error)}</p>}
      {conflicts.isPending && <p>{t('settings.loading')}</p>}
      {conflicts.data?.length === 0 && (
        <p className="banner ok" role="status" data-testid="no-conflicts">
          {t('conflicts.none')}
        </p>
      )}
      {conflicts.data && conflicts.data.length > 0 && (
        <ul className="conflicts" data-testid="conflict-list">
          {conflicts.data.map((conflict) => (
            <li key={conflict.id}>
              <ConflictCard conflict={conflict} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
