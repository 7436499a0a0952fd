import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi, useConnectionState } from '../api/ApiContext';
import { queryKeys } from '../api/query-keys';
import { errorText } from '../errors';

/** "About this workstation": facts from the main process, fetched through the contract. */
export function SystemInfo() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const info = useQuery({ queryKey: queryKeys.systemInfo, queryFn: () => api.call('system.info', {}), enabled: connected });
  const check = useMutation({
    mutationFn: async () => {
      const started = performance.now();
      const nonce = crypto.randomUUID();
      const answer = await api.call('system.ping', { nonce });
      if (answer.nonce !== nonce) throw new Error('ping answered another request');
      return Math.max(1, Math.round(performance.now() - started));
    },
  });

  return (
    <section aria-labelledby="system-title" className="card">
      <h2 id="system-title">{t('settings.system')}</h2>
      {info.isPending && <p>{t('settings.loading')}</p>}
      {info.isError && <p className="error">{errorText(t, info.error)}</p>}
      {info.data && (
        <dl className="facts" data-testid="system-info">
          <dt>{t('settings.info.appVersion')}</dt>
          <dd>{info.data.appVersion}</dd>
          <dt>{t('settings.info.mode')}</dt>
          <dd>
            {info.data.electronVersion
              ? t('settings.info.modeDesktop', { version: info.data.electronVersion })
              : t('settings.info.modeBrowser')}
          </dd>
          <dt>{t('settings.info.transport')}</dt>
          <dd data-testid="system-transport">{info.data.transport === 'ipc' ? 'Electron IPC' : 'WebSocket (127.0.0.1)'}</dd>
          <dt>{t('settings.info.node')}</dt>
          <dd data-testid="system-node">{info.data.nodeVersion}</dd>
          {info.data.chromeVersion && (
            <>
              <dt>{t('settings.info.chrome')}</dt>
              <dd>{info.data.chromeVersion}</dd>
            </>
          )}
          <dt>{t('settings.info.platform')}</dt>
          <dd>
            {info.data.platform} / {info.data.arch}
          </dd>
          <dt>{t('settings.info.startedAt')}</dt>
          <dd>{new Date(info.data.startedAt).toLocaleString(i18n.language)}</dd>
          <dt>{t('settings.info.uptime')}</dt>
          <dd>{t('settings.uptimeMinutes', { count: Math.floor(info.data.uptimeSeconds / 60) })}</dd>
        </dl>
      )}
      <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
        {check.isPending ? t('settings.checking') : t('settings.check')}
      </button>
      <p role="status" aria-live="polite" data-testid="ping-result">
        {check.isSuccess && t('settings.checkOk', { ms: check.data })}
        {check.isError && <span className="error">{errorText(t, check.error)}</span>}
      </p>
    </section>
  );
}
