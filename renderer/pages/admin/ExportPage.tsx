import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFormats, type ExportFormat } from '../../../app/fhir/export/export-sink';
import { useData } from '../../data-client/DataContext';
import { errorText } from '../../errors';

/**
 * An administrator exports the clinic as FHIR R4 for the district or another
 * system: the whole clinic, in one of three formats, into a new folder the
 * workstation service writes. The data worker reads, decrypts and maps (and
 * checks the role, and audits the export); this page says what the files
 * hold before anything is written, and shows the work as it goes.
 */
export function ExportPage() {
  const { t } = useTranslation();
  const data = useData();
  const [format, setFormat] = useState<ExportFormat>('ndjson');
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const run = useMutation({
    mutationFn: () => {
      setProgress(undefined);
      return data.call('export.run', { format }, { onProgress: (done, total) => setProgress({ done, total }) });
    },
  });

  return (
    <section aria-labelledby="export-title">
      <h1 id="export-title">{t('export.title')}</h1>
      <p role="note" className="banner bad">
        {t('export.phiWarning')}
      </p>
      <p>{t('export.scopeAll')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run.mutate();
        }}
      >
        <fieldset className="choice-list" disabled={run.isPending}>
          <legend>{t('export.formatLegend')}</legend>
          {exportFormats.map((name) => (
            <label key={name}>
              <input type="radio" name="export-format" value={name} checked={format === name} onChange={() => setFormat(name)} />
              {t(`export.formats.${name}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={run.isPending}>
          {t('export.start')}
        </button>
      </form>
      {run.isPending && (
        <div role="status" data-testid="export-progress">
          {progress ? (
            <>
              <progress value={progress.done} max={Math.max(progress.total, 1)} />
              <span>{t('export.progress', { done: progress.done, total: progress.total })}</span>
            </>
          ) : (
            <span>{t('export.starting')}</span>
          )}
          <button type="button" className="secondary" onClick={() => void data.call('export.cancel', {})}>
            {t('export.cancel')}
          </button>
        </div>
      )}
      {run.isError && <p className="error">{errorText(t, run.error)}</p>}
      {run.data && (
        <div role="status" className="banner ok" data-testid="export-done">
          <p>{t('export.done', { count: run.data.patients, resources: run.data.resources, folder: run.data.folder })}</p>
          {run.data.unreadable > 0 && <p>{t('export.unreadable', { count: run.data.unreadable })}</p>}
          <ul>
            {run.data.files.map((file) => (
              <li key={file}>{file}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
