import { useTranslation } from 'react-i18next';
import type { Hl7ResultView } from '../../../app/contract/data-api';
import { ExportDownload } from './ExportDownload';

/** What sending visits as HL7 v2 results did: the file written, or what the lab's endpoint acknowledged and refused, in its words. */
export function Hl7Result({ result }: { result: Hl7ResultView }) {
  const { t } = useTranslation();
  return (
    <div role="status" className={`banner ${result.refused > 0 ? 'warn' : 'ok'}`} data-testid="export-done">
      {result.to === 'folder' ? (
        <>
          <p>{t('export.hl7.written', { count: result.messages, patients: result.patients, folder: result.folder ?? '' })}</p>
          {result.exportId && <ExportDownload exportId={result.exportId} />}
        </>
      ) : (
        <p>{t('export.hl7.sent', { count: result.messages, patients: result.patients, accepted: result.accepted })}</p>
      )}
      {result.unreadable > 0 && <p>{t('export.unreadable', { count: result.unreadable })}</p>}
      {result.refused > 0 && (
        <>
          <p>{t('export.hl7.refused', { count: result.refused })}</p>
          <ul data-testid="hl7-issues">
            {result.issues.map((issue) => (
              <li key={issue.controlId}>
                <span className="mono-text">{issue.controlId}</span> ({issue.code}){issue.text ? `: ${issue.text}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
