import { useTranslation } from 'react-i18next';
import { useData, useVaultState } from '../data-client/DataContext';

/** Who is working, and the one-click lock; or that the workstation is locked or not set up. */
export function LockStatus() {
  const { t } = useTranslation();
  const data = useData();
  const state = useVaultState();
  if (state.status !== 'unlocked') {
    return (
      <div className="status status-neutral" data-testid="lock-status" data-state={state.status}>
        <span className="status-label">{t('status.lock.label')}:</span> {state.status === 'locked' ? t('status.lock.locked') : t('status.lock.notSetUp')}
      </div>
    );
  }
  return (
    <div className="status status-connected lock-box" data-testid="lock-status" data-state="unlocked">
      {t('status.lock.unlocked', { name: state.session.displayName, role: t(`roles.${state.session.role}`) })}
      <button type="button" className="small" onClick={() => void data.lock('user')}>
        {t('status.lock.lockNow')}
      </button>
    </div>
  );
}
