import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useVault } from '../../vault/VaultContext';
import { PatientSummary } from './PatientSummary';

/** Find a patient as you type; the index is in memory, so no query touches the disk. */
export function PatientsPage() {
  const { t } = useTranslation();
  const vault = useVault();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const hits = useMemo(() => (deferred.trim() ? vault.patients.search(deferred) : []), [vault, deferred]);
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
      {deferred.trim() && (
        <>
          <p role="status" aria-live="polite">
            {hits.length ? t('patients.results', { count: hits.length }) : t('patients.noResults')}
          </p>
          <ul className="results" data-testid="search-results">
            {hits.map(({ id, entry }) => (
              <li key={id}>
                <Link to={`/patients/${id}`}>
                  <PatientSummary entry={entry} />
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
