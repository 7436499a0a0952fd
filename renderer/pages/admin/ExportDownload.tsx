import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { errorText } from '../../errors';

/**
 * Browser mode: a finished export's folder is on the workstation service's
 * machine, so the browser is offered it as one zip (a one-time link from the
 * main process, main/host/export-download.ts). In Electron the admin chose
 * the folder; there is nothing to download.
 */
export function ExportDownload({ exportId }: { exportId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const info = useQuery({ queryKey: queryKeys.systemInfo, queryFn: () => api.call('system.info', {}), enabled: connected });
  const download = useMutation({
    mutationFn: async () => {
      const { path } = await api.call('export.download', { exportId });
      const link = document.createElement('a');
      link.href = path;
      link.download = `${exportId}.zip`;
      link.click();
    },
  });
  if (info.data?.electronVersion !== null) return null;
  return (
    <p>
      <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
        {t('export.download')}
      </button>{' '}
      {download.isError && <span className="error">{errorText(t, download.error)}</span>}
    </p>
  );
}
