import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportPreview } from '../../../app/contract/data-api';
import { useData } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';
import { ImportPreviewView } from './ImportPreviewView';
import { sendImportFiles } from './import-files';

type Progress = { step: 'reading' | 'checking' | 'writing'; done: number; total: number };

/**
 * An administrator imports FHIR: a Bundle or Bulk Data NDJSON, from another
 * system or our own export. The files are read and checked by the data
 * worker, which says what would be created, updated, left unchanged or
 * skipped, and every problem with its place, before anything is written;
 * the admin then imports, or puts the files right first. An import a
 * restart interrupted is carried on by choosing the same files again.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<Progress | undefined>();
  const interrupted = useQuery({ queryKey: ['import', 'interrupted'], queryFn: () => data.call('import.interrupted', {}) }).data?.interrupted;

  const check = useMutation({
    mutationFn: async (): Promise<ImportPreview> => {
      await sendImportFiles(data, files, (done, total) => setProgress({ step: 'reading', done, total }));
      return data.call('import.preview', {}, { onProgress: (done, total) => setProgress({ step: 'checking', done, total }) });
    },
    onSettled: () => setProgress(undefined),
  });
  const write = useMutation({
    mutationFn: () => data.call('import.commit', {}, { onProgress: (done, total) => setProgress({ step: 'writing', done, total }) }),
    onSettled: () => {
      setProgress(undefined);
      return queryClient.invalidateQueries({ queryKey: ['import'] });
    },
  });
  const busy = check.isPending || write.isPending;
  const preview = check.data;

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      {interrupted && !busy && !write.isSuccess && (
        <p role="alert" className="banner warn" data-testid="import-interrupted">
          {t('import.interrupted', {
            count: interrupted.files.length,
            when: new Date(interrupted.startedAt).toLocaleString(i18n.language),
            written: interrupted.written,
            total: interrupted.total,
            names: interrupted.files.map((file) => file.name).join(', '),
          })}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          write.reset();
          check.mutate();
        }}
      >
        <label>
          {t('import.files')}
          <input
            type="file"
            multiple
            accept=".json,.ndjson,application/fhir+json,application/fhir+ndjson,application/json"
            disabled={busy}
            onChange={(event) => {
              setFiles([...(event.target.files ?? [])]);
              check.reset();
              write.reset();
            }}
          />
        </label>
        <button type="submit" disabled={busy || files.length === 0}>
          {t('import.check')}
        </button>
      </form>
      {progress && (
        <div role="status" data-testid="import-progress">
          <progress value={progress.done} max={Math.max(progress.total, 1)} />
          <span>{t(`import.progress.${progress.step}`, { done: progress.done, total: progress.total })}</span>
        </div>
      )}
      {check.isError && <p className="error">{serviceErrorText(t, check.error)}</p>}
      {preview && !write.isSuccess && (
        <>
          <ImportPreviewView preview={preview} />
          {preview.problemCount === 0 && (
            <button type="button" disabled={busy} onClick={() => write.mutate()}>
              {t('import.commit')}
            </button>
          )}
        </>
      )}
      {write.isError && <p className="error">{serviceErrorText(t, write.error)}</p>}
      {write.data && (
        <p role="status" className="banner ok" data-testid="import-done">
          {t('import.done', { created: write.data.patients.created, updated: write.data.patients.updated, readings: write.data.readings, visits: write.data.visits })}
        </p>
      )}
    </section>
  );
}
