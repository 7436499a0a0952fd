import { useTranslation } from 'react-i18next';
import type { TransferResult } from '../../../app/contract/data-api';
import { ExportDownload } from './ExportDownload';

/** What a finished export wrote, or what the FHIR server made of a push: counts, files, and the server's words on what it refused. */
export function ExportResult({ result }: { result: TransferResult }) {
  const { t } = useTranslation();
  return (
    <div role="status" className={`banner ${result.destination === 'server' && result.refused > 0 ? 'warn' : 'ok'}`} data-testid="export-done">
      {result.destination === 'folder' ? (
        <>
          <p>{t('export.done', { count: result.patients, resources: result.resources, folder: result.folder })}</p>
          {result.unreadable > 0 && <p>{t('export.unreadable', { count: result.unreadable })}</p>}
          <ExportDownload exportId={result.exportId} />
          <ul>
            {result.files.map((file) => (
              <li key={file}>{file}</li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p>{t('export.pushed', { count: result.patients, url: result.baseUrl, stored: result.stored, transactions: result.transactions })}</p>
          {result.unreadable > 0 && <p>{t('export.unreadable', { count: result.unreadable })}</p>}
          {result.refused > 0 && (
            <>
              <p>{t('export.refused', { count: result.refused })}</p>
              <ul data-testid="push-issues">
                {result.issues.map((issue, index) => (
                  <li key={index}>
                    <span className="mono-text">{issue.resource}</span>: {issue.text}
                    {issue.expression ? ` (${issue.expression})` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
