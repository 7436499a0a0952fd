import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PatientSearchEntry } from '../../../app/search/patient-index';
import { phiKey, useData } from '../../data-client/DataContext';
import { PatientSummary } from './PatientSummary';

/** Find a patient as you type; the index is in the data worker's memory, so no query touches the disk. */
export function PatientsPage() {
  const { t } = useTranslation();
  const data = useData();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const searching = deferred.trim() !== '';
  // The index is in the data worker's memory: each query is a message there and back, never a disk read.
  const search = useQuery({ queryKey: [phiKey, 'search', deferred], queryFn: () => data.call('patients.search', { query: deferred }), enabled: searching, placeholderData: (previous) => previous });
  const hits = search.data ?? [];
  // Until this query's own answer is in, the count would describe another query (or none).
  const answered = search.isSuccess && !search.isPlaceholderData;
  // The list changes only when a chart is opened, which leaves this page.
  const recent = useQuery({ queryKey: [phiKey, 'recent'], queryFn: () => data.call('patients.recent', {}) }).data ?? [];
  const inputId = useId();

  return (
    <section aria-labelledby="patients-title">
      <div className="page-head">
        <h1 id="patients-title">{t('patients.title')}</h1>
        <Link className="button" to="/patients/new">
          {t('patients.register')}
        </Link>
      </div>
      <div className="field search">
        <label htmlFor={inputId}>{t('patients.search')}</label>
        <input id={inputId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('patients.searchHelp')} autoFocus autoComplete="off" spellCheck={false} />
      </div>
      {searching ? (
        <>
          <p role="status" aria-live="polite">
            {answered && (hits.length ? t('patients.results', { count: hits.length }) : t('patients.noResults'))}
          </p>
          <PatientList testId="search-results" entries={hits.map((hit) => hit.entry)} />
        </>
      ) : (
        <>
          <p className="muted" data-testid="search-empty-state">
            {t('patients.startHint')}
          </p>
          <h2 id="recent-title">{t('patients.recentTitle')}</h2>
          {recent.length ? <PatientList testId="recent-patients" entries={recent} labelledBy="recent-title" /> : <p className="muted">{t('patients.noRecent')}</p>}
        </>
      )}
    </section>
  );
}

function PatientList({ entries, testId, labelledBy }: { entries: readonly Readonly<PatientSearchEntry>[]; testId: string; labelledBy?: string }) {
  return (
    <ul className="results" data-testid={testId} aria-labelledby={labelledBy}>
      {entries.map((entry) => (
        <li key={entry.id}>
          <Link to={`/patients/${entry.id}`}>
            <PatientSummary entry={entry} />
          </Link>
        </li>
      ))}
    </ul>
  );
}
