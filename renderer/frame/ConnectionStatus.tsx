import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../api/ApiContext';

export function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnectionState();
  return (
    <div className={`status status-${state}`} role="status" aria-live="polite" data-testid="connection-status" data-state={state}>
      <span className="status-label">{t('status.connection.label')}:</span> {t(`status.connection.${state}`)}
    </div>
  );
}
