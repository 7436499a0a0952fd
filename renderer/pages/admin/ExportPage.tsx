import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFormats, type ExportFormat } from '../../../app/fhir/export/export-sink';
import { useData } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';
import { ExportDownload } from './ExportDownload';
import { ExportScopeFields, exportScopeOf, initialScopeChoice } from './ExportScopeFields';

/**
 * An administrator exports the clinic as FHIR R4 for the district or another
 * system: the whole clinic, chosen patients, a date range's visits or what
 * changed since the last export, in one of three formats, into a new folder the
 * workstation service writes. The data worker reads, decrypts and maps (and
 * checks the role, and audits the export); this page says what the files
 * hold before anything is written, and shows the work as it goes.
 */
export function ExportPage() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<ExportFormat>('ndjson');
  const [scopeChoice, setScopeChoice] = useState(initialScopeChoice);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const asked = exportScopeOf(scopeChoice);
  const interrupted = useQuery({ queryKey: ['export', 'interrupted'], queryFn: () => data.call('export.interrupted', {}) }).data?.interrupted;
  const run = useMutation({
    mutationFn: (what: 'new' | 'resume') => {
      setProgress(undefined);
      const onProgress = (done: number, total: number) => setProgress({ done, total });
      if (what === 'resume') return data.call('export.resume', {}, { onProgress });
      if (!('scope' in asked)) throw new Error('the form is not complete');
      return data.call('export.run', { format, scope: asked.scope }, { onProgress });
    },
    // A whole or changed-since export moves where the next changed-since export starts; any export
    // leaves a journal behind when it fails, and none when it ends.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['export'] }),
  });
  const discard = useMutation({ mutationFn: () => data.call('export.discard', {}), onSettled: () => queryClient.invalidateQueries({ queryKey: ['export'] }) });

  return (
    <section aria-labelledby="export-title">
      <h1 id="export-title">{t('export.title')}</h1>
      <p role="note" className="banner bad">
        {t('export.phiWarning')}
      </p>
      {interrupted && !run.isPending && (
        <div role="alert" className="banner warn" data-testid="export-interrupted">
          <p>
            {t('export.interrupted.what', {
              format: t(`export.formats.${interrupted.format}`),
              when: new Date(interrupted.startedAt).toLocaleString(i18n.language),
              count: interrupted.read,
              folder: interrupted.folder,
            })}
          </p>
          <div className="actions">
            <button type="button" onClick={() => run.mutate('resume')}>
              {t('export.interrupted.resume')}
            </button>
            <button type="button" className="secondary" disabled={discard.isPending} onClick={() => discard.mutate()}>
              {t('export.interrupted.discard')}
            </button>
          </div>
          {discard.isError && <p className="error">{serviceErrorText(t, discard.error)}</p>}
        </div>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run.mutate('new');
        }}
      >
        <ExportScopeFields choice={scopeChoice} onChange={setScopeChoice} disabled={run.isPending} />
        <fieldset className="choice-list" disabled={run.isPending}>
          <legend>{t('export.formatLegend')}</legend>
          {exportFormats.map((name) => (
            <label key={name}>
              <input type="radio" name="export-format" value={name} checked={format === name} onChange={() => setFormat(name)} />
              {t(`export.formats.${name}`)}
            </label>
          ))}
        </fieldset>
        {'problem' in asked && <p className="muted">{t(asked.problem)}</p>}
        <button type="submit" disabled={run.isPending || 'problem' in asked}>
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
      {run.isError && <p className="error">{serviceErrorText(t, run.error)}</p>}
      {run.data && (
        <div role="status" className="banner ok" data-testid="export-done">
          <p>{t('export.done', { count: run.data.patients, resources: run.data.resources, folder: run.data.folder })}</p>
          {run.data.unreadable > 0 && <p>{t('export.unreadable', { count: run.data.unreadable })}</p>}
          <ExportDownload exportId={run.data.exportId} />
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
