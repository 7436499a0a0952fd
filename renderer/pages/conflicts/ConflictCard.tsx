import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can } from '../../../app/auth/roles';
import { errorText } from '../../errors';
import type { ConflictChoice, ConflictView } from '../../../app/contract/data-api';
import { StoreError } from '../../store/store-error';
import { phiKey, useSession, useData } from '../../data-client/DataContext';
import { useWorkstationNames } from '../../vault/use-workstation-names';
import { editedAt, fieldLabel, originText, valueText } from './conflict-words';
import { usePatient } from '../patients/use-patient';

/**
 * One conflicting field: whose record, both values side by side with who
 * entered each, where and when, and the choice. Both choices look the same:
 * the merge kept the later edit, which says nothing about which is right.
 */
export function ConflictCard({ conflict }: { conflict: ConflictView }) {
  const { t, i18n } = useTranslation();
  const data = useData();
  const session = useSession();
  const queryClient = useQueryClient();
  const headingId = useId();
  // Shares the chart's cache entry, so each patient is opened (and audited) once, not once per conflict.
  const patient = usePatient(conflict.patientId, { retry: false });
  const resolve = useMutation({
    mutationFn: (choice: ConflictChoice) => data.call('conflicts.resolve', { conflictId: conflict.id, choice }),
    // The list, the count in the menu, the chart's banner and the record itself all change.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [phiKey] }),
  });
  const workstationNames = useWorkstationNames();
  const mayResolve = can(session.role, 'conflict.resolve');
  const field = fieldLabel(t, conflict.recordType, conflict.field);

  const side = (choice: ConflictChoice) => {
    const { value, hlc } = conflict[choice];
    const text = valueText(t, i18n.language, conflict.field, value);
    const edited = editedAt(hlc, session.workstationId, workstationNames);
    const author = choice === 'kept' ? conflict.keptBy : conflict.otherBy;
    const who = author ? (author.displayName ?? t('conflicts.unknownAuthor')) : undefined;
    return (
      <div className={`conflict-side conflict-${choice}`} data-testid={`conflict-${choice}`}>
        <h3>{choice === 'kept' ? t('conflicts.keptTitle') : t('conflicts.otherTitle')}</h3>
        <p className="conflict-value">{text}</p>
        {edited && (
          <p className="muted" data-testid={`conflict-${choice}-origin`}>
            {originText(t, edited.place, edited.at.toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }), who)}
          </p>
        )}
        {mayResolve && (
          <button type="button" className="secondary" disabled={resolve.isPending} onClick={() => resolve.mutate(choice)}>
            {choice === 'kept' ? t('conflicts.keep', { value: text }) : t('conflicts.use', { value: text })}
          </button>
        )}
      </div>
    );
  };

  return (
    <article className="card conflict" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {patient.data ? (
          <>
            <Link to={`/patients/${patient.data.id}`}>
              {patient.data.familyName.toUpperCase()}, {patient.data.givenNames}
            </Link>{' '}
            <span className="clinic-number muted">
              {t('patients.clinicNumber')} {patient.data.clinicNumber}
            </span>
          </>
        ) : patient.isError ? (
          t('conflicts.unknownPatient')
        ) : (
          t('settings.loading')
        )}
      </h2>
      <p>{t('conflicts.fieldChanged', { field })}</p>
      <div className="conflict-sides">
        {side('kept')}
        {side('other')}
      </div>
      {!mayResolve && <p className="muted">{t('conflicts.askClinician')}</p>}
      <p role="alert" className="error">
        {resolve.isError && resolveErrorText(t, resolve.error)}
      </p>
    </article>
  );
}

/** The store refuses a value that no longer fits the rest of the record (it says so without naming fields). */
function resolveErrorText(t: ReturnType<typeof useTranslation>['t'], error: unknown): string {
  if (error instanceof StoreError && error.code === 'invalid' && Object.keys(error.fields).length === 0) return t('conflicts.cannotApply');
  return errorText(t, error);
}
