import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maxChosenPatients } from '../../../app/fhir/export/export-scope';
import type { PatientSearchEntry } from '../../../app/search/patient-index';
import { phiKey, useData } from '../../data-client/DataContext';
import { PatientSummary } from '../patients/PatientSummary';

/** Chooses patients for an export: find as you type (the same search as the patients page), add, remove. */
export function PatientPicker({ chosen, onChange }: { chosen: readonly PatientSearchEntry[]; onChange: (next: PatientSearchEntry[]) => void }) {
  const { t } = useTranslation();
  const data = useData();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim());
  const search = useQuery({ queryKey: [phiKey, 'search', deferred], queryFn: () => data.call('patients.search', { query: deferred, limit: 20 }), enabled: deferred !== '', placeholderData: (previous) => previous });
  const chosenIds = new Set(chosen.map((entry) => entry.id));
  const hits = (deferred === '' ? [] : (search.data ?? [])).map((hit) => hit.entry).filter((entry) => !chosenIds.has(entry.id));
  const full = chosen.length >= maxChosenPatients;
  const inputId = useId();
  return (
    <div className="patient-picker">
      <div className="field search">
        <label htmlFor={inputId}>{t('export.picker.search')}</label>
        <input id={inputId} type="search" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" spellCheck={false} />
      </div>
      <ul className="results" data-testid="export-picker-results">
        {hits.map((entry) => (
          <li key={entry.id}>
            <PatientSummary entry={entry} />{' '}
            <button type="button" className="secondary" disabled={full} onClick={() => onChange([...chosen, entry])}>
              {t('export.picker.add')}
            </button>
          </li>
        ))}
      </ul>
      <p role="status">{chosen.length === 0 ? t('export.picker.none') : t('export.picker.count', { count: chosen.length })}</p>
      {full && <p className="muted">{t('export.picker.full', { max: maxChosenPatients })}</p>}
      <ul className="results" data-testid="export-chosen">
        {chosen.map((entry) => (
          <li key={entry.id}>
            <PatientSummary entry={entry} />{' '}
            <button type="button" className="secondary" onClick={() => onChange(chosen.filter((other) => other.id !== entry.id))}>
              {t('export.picker.remove')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
