import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportFormats, type ExportFormat } from '../../../app/fhir/export/export-sink';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { useData } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';
import type { Hl7ResultView, TransferResult } from '../../../app/contract/data-api';
import { ExportResult } from './ExportResult';
import { Hl7Result } from './Hl7Result';
import { ExportScopeFields, exportScopeOf, initialScopeChoice } from './ExportScopeFields';

/** FHIR files, the FHIR server, or visits as HL7 v2 results to a file or the lab's MLLP endpoint. */
type Destination = 'folder' | 'server' | 'hl7-file' | 'hl7-endpoint';

/**
 * An administrator exports the clinic as FHIR R4 for the district or another
 * system: the whole clinic, chosen patients, a date range's visits or what
 * changed since the last export, into files (one of three formats, in a new
 * folder the workstation service writes) or to the FHIR server set in
 * Settings (transactions, waiting for the server while it cannot be
 * reached). The data worker reads, decrypts and maps (and checks the role,
 * and audits it); this page says what the files hold before anything is
 * written, shows the work as it goes, and offers to carry on one a restart
 * interrupted.
 */
export function ExportPage() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const api = useApi();
  const queryClient = useQueryClient();
  const connected = useConnectionState() === 'connected';
  const [destination, setDestination] = useState<Destination>('folder');
  const [format, setFormat] = useState<ExportFormat>('ndjson');
  const [scopeChoice, setScopeChoice] = useState(initialScopeChoice);
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const asked = exportScopeOf(scopeChoice);
  const server = useQuery({ queryKey: queryKeys.fhirServer, queryFn: () => api.call('fhirServer.get', {}), enabled: connected }).data;
  const hl7Endpoint = useQuery({ queryKey: queryKeys.hl7Endpoint, queryFn: () => api.call('hl7Endpoint.get', {}), enabled: connected }).data;
  const interrupted = useQuery({ queryKey: ['export', 'interrupted'], queryFn: () => data.call('export.interrupted', {}) }).data?.interrupted;
  const run = useMutation({
    mutationFn: (what: 'new' | 'resume'): Promise<TransferResult | Hl7ResultView> => {
      setProgress(undefined);
      const onProgress = (done: number, total: number) => setProgress({ done, total });
      if (what === 'resume') return data.call('export.resume', {}, { onProgress });
      if (!('scope' in asked)) throw new Error('the form is not complete');
      if (destination === 'server') return data.call('push.run', { scope: asked.scope }, { onProgress });
      if (destination === 'hl7-file' || destination === 'hl7-endpoint') return data.call('hl7.run', { scope: asked.scope, to: destination === 'hl7-file' ? 'folder' : 'endpoint' }, { onProgress });
      return data.call('export.run', { format, scope: asked.scope }, { onProgress });
    },
    // A whole or changed-since export moves where the next changed-since export starts; any export
    // leaves a journal behind when it fails, and none when it ends.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['export'] }),
  });
  // What runs (this page's, or a push carried on by itself after a restart), and why a push waits.
  const status = useQuery({ queryKey: ['export', 'status'], queryFn: () => data.call('export.status', {}), refetchInterval: (query) => (run.isPending || query.state.data?.running ? 1000 : 5000) }).data;
  const waiting = status?.waiting;
  const background = !run.isPending ? status?.running : null;
  const discard = useMutation({ mutationFn: () => data.call('export.discard', {}), onSettled: () => queryClient.invalidateQueries({ queryKey: ['export'] }) });

  return (
    <section aria-labelledby="export-title">
      <h1 id="export-title">{t('export.title')}</h1>
      <p role="note" className="banner bad">
        {t('export.phiWarning')}
      </p>
      {interrupted && !run.isPending && !background && (
        <div role="alert" className="banner warn" data-testid="export-interrupted">
          <p>
            {t(interrupted.destination === 'server' ? 'export.interrupted.push' : 'export.interrupted.what', {
              format: t(`export.formats.${interrupted.format}`),
              when: new Date(interrupted.startedAt).toLocaleString(i18n.language),
              count: interrupted.read,
              where: interrupted.where,
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
        <fieldset className="choice-list" disabled={run.isPending}>
          <legend>{t('export.destinationLegend')}</legend>
          <label>
            <input type="radio" name="export-destination" value="folder" checked={destination === 'folder'} onChange={() => setDestination('folder')} />
            {t('export.toFolder')}
          </label>
          <label>
            <input type="radio" name="export-destination" value="server" checked={destination === 'server'} disabled={!server?.configured} onChange={() => setDestination('server')} />
            {server?.configured ? t('export.toServer', { url: server.baseUrl }) : t('export.noServer')}
          </label>
          <label>
            <input type="radio" name="export-destination" value="hl7-file" checked={destination === 'hl7-file'} onChange={() => setDestination('hl7-file')} />
            {t('export.toHl7File')}
          </label>
          <label>
            <input type="radio" name="export-destination" value="hl7-endpoint" checked={destination === 'hl7-endpoint'} disabled={!hl7Endpoint?.configured} onChange={() => setDestination('hl7-endpoint')} />
            {hl7Endpoint?.configured ? t('export.toHl7Endpoint', { address: `${hl7Endpoint.host}:${hl7Endpoint.port}` }) : t('export.noHl7Endpoint')}
          </label>
        </fieldset>
        <ExportScopeFields choice={scopeChoice} onChange={setScopeChoice} disabled={run.isPending} destination={destination === 'server' ? 'server' : 'folder'} results={destination === 'hl7-file' || destination === 'hl7-endpoint'} />
        {destination === 'folder' && (
          <fieldset className="choice-list" disabled={run.isPending}>
            <legend>{t('export.formatLegend')}</legend>
            {exportFormats.map((name) => (
              <label key={name}>
                <input type="radio" name="export-format" value={name} checked={format === name} onChange={() => setFormat(name)} />
                {t(`export.formats.${name}`)}
              </label>
            ))}
          </fieldset>
        )}
        {'problem' in asked && <p className="muted">{t(asked.problem)}</p>}
        <button type="submit" disabled={run.isPending || 'problem' in asked}>
          {destination === 'server' || destination === 'hl7-endpoint' ? t('export.send') : t('export.start')}
        </button>
      </form>
      {background && (
        <div role="status" data-testid="export-background">
          <p>{t('export.background', { url: server?.configured ? server.baseUrl : '' })}</p>
          <progress value={background.done} max={Math.max(background.total, 1)} />
          <span>{t('export.progress', { done: background.done, total: background.total })}</span>
          {waiting && <p className="banner warn">{t('export.waiting', { reason: waiting.reason, when: new Date(waiting.retryAt).toLocaleTimeString(i18n.language) })}</p>}
          <button type="button" className="secondary" onClick={() => void data.call('export.cancel', {})}>
            {t('export.cancel')}
          </button>
        </div>
      )}
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
          {waiting && <p className="banner warn">{t('export.waiting', { reason: waiting.reason, when: new Date(waiting.retryAt).toLocaleTimeString(i18n.language) })}</p>}
          <button type="button" className="secondary" onClick={() => void data.call('export.cancel', {})}>
            {t('export.cancel')}
          </button>
        </div>
      )}
      {run.isError && <p className="error">{serviceErrorText(t, run.error)}</p>}
      {run.data && ('to' in run.data ? <Hl7Result result={run.data} /> : <ExportResult result={run.data} />)}
    </section>
  );
}
