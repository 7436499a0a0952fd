import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PatientSearchEntry } from '../../../app/search/patient-index';
import { useVault } from '../../vault/VaultContext';
import { PatientSummary } from './PatientSummary';

/** Find a patient as you type; the index is in memory, so no query touches the disk. */
export function PatientsPage() {
  const { t } = useTranslation();
  const vault = useVault();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const hits = useMemo(() => (deferred.trim() ? vault.patients.search(deferred) : []), [vault, deferred]);
  // Read once per visit: the list changes only when a chart is opened, which leaves this page.
  const recent = useMemo(() => vault.patients.recent(), [vault]);
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
      {deferred.trim() ? (
        <>
          <p role="status" aria-live="polite">
            {hits.length ? t('patients.results', { count: hits.length }) : t('patients.noResults')}
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
