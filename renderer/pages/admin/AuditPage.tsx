import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { auditKindOf, auditOutcomeOf, auditPatientIdOf, auditUserIdOf, type AuditKind } from '../../../app/audit/audit-event';
import { auditKindsIn, filterAudit } from '../../../app/audit/audit-filter';
import { errorText } from '../../errors';
import { formatDateTime } from '../../format/format';
import { useFormatContext } from '../../vault/use-clinic-settings';
import { phiKey, useSession, useData } from '../../data-client/DataContext';

/** Rows shown at once; the filter narrows a longer log. */
const shownRows = 500;

/**
 * The audit log for admins: whether the chain is intact, and the entries,
 * filterable by the actions the log holds. Entries keep only ids; who the
 * patient was (name, clinic number) is looked up now, from the records this
 * session has decrypted, and only for a role that may read patients.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const format = useFormatContext();
  const data = useData();
  const session = useSession();
  const [kind, setKind] = useState<AuditKind | ''>('');
  const verdict = useQuery({ queryKey: [phiKey, 'audit', 'verify'], queryFn: () => data.call('audit.verify', {}) });
  // Loaded once, filtered here: reading the log is audited, a change of filter is not a new reading.
  const entries = useQuery({ queryKey: [phiKey, 'audit', 'entries'], queryFn: () => data.call('audit.list', {}) });
  const staff = useQuery({ queryKey: [phiKey, 'staff'], queryFn: () => data.call('staff.list', {}) });
  const staffName = (id: string | undefined) => staff.data?.find((s) => s.id === id)?.displayName ?? id;
  const kinds = useMemo(() => auditKindsIn(entries.data ?? []), [entries.data]);
  const shown = useMemo(() => (entries.data ? filterAudit(entries.data, kind ? { kinds: [kind] } : {}) : undefined), [entries.data, kind]);
  const readsPatients = can(session.role, 'patient.read');
  const shownPatientIds = useMemo(() => [...new Set((shown ?? []).slice(0, shownRows).flatMap((entry) => auditPatientIdOf(entry.event) ?? []))].sort(), [shown]);
  const patients = useQuery({
    queryKey: [phiKey, 'audit', 'patient-labels', shownPatientIds],
    queryFn: () => data.call('patients.labels', { ids: shownPatientIds }),
    enabled: readsPatients && shownPatientIds.length > 0,
    placeholderData: (previous) => previous,
  }).data;
  const patientText = (id: string | undefined) => {
    if (!id) return '';
    const entry = patients && Object.hasOwn(patients, id) ? patients[id] : undefined;
    return entry ? t('audit.patientLabel', { name: `${entry.familyName.toUpperCase()}, ${entry.givenNames}`, number: entry.clinicNumber }) : t('audit.patientUnknown');
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      {verdict.data && (
        <p role="status" className={verdict.data.ok ? 'banner ok' : 'banner bad'} data-testid="audit-verdict">
          {verdict.data.ok
            ? t('audit.intact', { count: verdict.data.entries })
            : t('audit.broken', { seq: verdict.data.seq, problem: t(`audit.problems.${verdict.data.problem}`) })}
        </p>
      )}
      {(verdict.isError || entries.isError) && <p className="error">{errorText(t, verdict.error ?? entries.error)}</p>}
      <div className="field narrow-field">
        <label htmlFor="audit-kind">{t('audit.filterKind')}</label>
        <select id="audit-kind" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
          <option value="">{t('audit.filterAll')}</option>
          {kinds.map((name) => (
            <option key={name} value={name}>
              {t(`audit.kinds.${name}`)}
            </option>
          ))}
        </select>
      </div>
      {shown && shown.length === 0 && <p>{t('audit.none')}</p>}
      {shown && shown.length > 0 && (
        <table className="table" data-testid="audit-entries">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.whatHappened')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.patient')}</th>
              <th>{t('audit.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, shownRows).map((entry) => {
              const name = auditKindOf(entry.event);
              return (
                <tr key={`${entry.workstationId}-${entry.seq}`}>
                  <td>{formatDateTime(Date.parse(entry.event.recorded ?? '') || 0, format)}</td>
                  <td>{name ? t(`audit.kinds.${name}`) : '?'}</td>
                  <td>{staffName(auditUserIdOf(entry.event))}</td>
                  <td>{readsPatients ? patientText(auditPatientIdOf(entry.event)) : <span className="mono">{auditPatientIdOf(entry.event) ?? ''}</span>}</td>
                  <td>{auditOutcomeOf(entry.event) === 'success' ? t('audit.ok') : t('audit.failed')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
