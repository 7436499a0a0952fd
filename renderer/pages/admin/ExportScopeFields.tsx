import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { exportScopeKinds, type ExportScope, type ExportScopeKind } from '../../../app/fhir/export/export-scope';
import type { PatientSearchEntry } from '../../../app/search/patient-index';
import { useData } from '../../data-client/DataContext';
import { Field } from '../../components/Field';
import { PatientPicker } from './PatientPicker';

/** What the admin chose on the form; `exportScopeOf` turns it into the scope the worker is sent. */
export interface ScopeChoice {
  kind: ExportScopeKind;
  chosen: PatientSearchEntry[];
  /** Days as the date inputs give them (YYYY-MM-DD), on this workstation's clock. */
  from: string;
  to: string;
}

export const initialScopeChoice: ScopeChoice = { kind: 'all', chosen: [], from: '', to: '' };

/** The scope to send, or why the form cannot be sent yet (an i18n key). */
export function exportScopeOf(choice: ScopeChoice): { scope: ExportScope } | { problem: string } {
  switch (choice.kind) {
    case 'all':
    case 'changed':
      return { scope: { kind: choice.kind } };
    case 'patients':
      return choice.chosen.length ? { scope: { kind: 'patients', patientIds: choice.chosen.map((entry) => entry.id) } } : { problem: 'export.scope.choosePatients' };
    case 'dates': {
      if (!choice.from || !choice.to) return { problem: 'export.scope.chooseDates' };
      // The clinic's days: from the first day's midnight to the end of the last, here.
      const from = new Date(`${choice.from}T00:00:00`);
      const to = new Date(`${choice.to}T23:59:59.999`);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return { problem: 'export.scope.chooseDates' };
      if (from > to) return { problem: 'export.scope.datesReversed' };
      return { scope: { kind: 'dates', from: from.toISOString(), to: to.toISOString() } };
    }
  }
}

/** `results`: HL7 v2 results, which carry patients' visits only (the clinic's staff and devices are not messages of their own). */
export function ExportScopeFields({ choice, onChange, disabled, destination, results = false }: { choice: ScopeChoice; onChange: (next: ScopeChoice) => void; disabled: boolean; destination: 'folder' | 'server'; results?: boolean }) {
  const { t, i18n } = useTranslation();
  const data = useData();
  const since = useQuery({ queryKey: ['export', 'changedSince', destination], queryFn: () => data.call('export.changedSince', { destination }) }).data?.since;
  const describe = (kind: ExportScopeKind) =>
    kind === 'all' && results ? t('export.scope.allVisits') : kind !== 'changed' ? t(`export.scope.${kind}`) : since ? t('export.scope.changedSince', { when: new Date(since).toLocaleString(i18n.language) }) : t('export.scope.changedFirst');
  return (
    <fieldset className="choice-list" disabled={disabled}>
      <legend>{t('export.scope.legend')}</legend>
      {exportScopeKinds.map((kind) => (
        <label key={kind}>
          <input type="radio" name="export-scope" value={kind} checked={choice.kind === kind} onChange={() => onChange({ ...choice, kind })} />
          {describe(kind)}
        </label>
      ))}
      {choice.kind === 'patients' && <PatientPicker chosen={choice.chosen} onChange={(chosen) => onChange({ ...choice, chosen })} />}
      {choice.kind === 'dates' && (
        <div className="grid-2">
          <Field label={t('export.scope.from')} type="date" value={choice.from} onChange={(event) => onChange({ ...choice, from: event.target.value })} />
          <Field label={t('export.scope.to')} type="date" value={choice.to} onChange={(event) => onChange({ ...choice, to: event.target.value })} />
        </div>
      )}
    </fieldset>
  );
}
