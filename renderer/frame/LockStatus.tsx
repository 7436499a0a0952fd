import { useTranslation } from 'react-i18next';

/** Where the login/lock state shows once a clinic is set up (the encrypted store). */
export function LockStatus() {
  const { t } = useTranslation();
  return (
    <div className="status status-neutral" data-testid="lock-status">
      <span className="status-label">{t('status.lock.label')}:</span> {t('status.lock.notSetUp')}
    </div>
  );
}
