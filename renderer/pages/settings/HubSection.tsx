import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { errorText } from '../../errors';
import { useVaultState } from '../../data-client/DataContext';
import { AddWorkstation } from './AddWorkstation';
import { ConnectHubForm } from './ConnectHubForm';
import { HubDetails } from './HubDetails';
import { useHubLink } from './use-hub-link';

/** Settings, "Clinic hub": how sync stands, and for administrators, adding a workstation or linking a clinic that started offline. */
export function HubSection() {
  const { t } = useTranslation();
  const link = useHubLink();
  const state = useVaultState();
  const admin = state.status === 'unlocked' && can(state.session.role, 'staff.manage');
  return (
    <section aria-labelledby="hub-title" className="card" data-testid="hub-section">
      <h2 id="hub-title">{t('hub.title')}</h2>
      {link.isError && <p className="error">{errorText(t, link.error)}</p>}
      {!link.data && !link.isError && <p>{t('settings.loading')}</p>}
      {link.data?.linked && <HubDetails hubUrl={link.data.hubUrl} />}
      {link.data?.linked && admin && <AddWorkstation />}
      {link.data?.linked === false && !admin && <p>{state.status === 'no-clinic' ? t('hub.notLinkedNoClinic') : t('hub.notLinkedAskAdmin')}</p>}
      {link.data?.linked === false && state.status === 'unlocked' && admin && <ConnectHubForm clinicId={state.session.clinicId} />}
    </section>
  );
}
