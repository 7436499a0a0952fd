import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditKindNames, auditKindOf, auditOutcomeOf, auditPatientIdOf, auditUserIdOf, type AuditKind } from '../../../app/audit/audit-event';
import { errorText } from '../../errors';
import { phiKey, useVault } from '../../vault/VaultContext';

/** The audit log for admins: whether the chain is intact, and the entries, filterable. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const vault = useVault();
  const [kind, setKind] = useState<AuditKind | ''>('');
  const verdict = useQuery({ queryKey: [phiKey, 'audit', 'verify'], queryFn: () => vault.audit.verify() });
  const entries = useQuery({ queryKey: [phiKey, 'audit', kind], queryFn: () => vault.audit.list(kind ? { kinds: [kind] } : {}) });
  const staff = useQuery({ queryKey: [phiKey, 'staff'], queryFn: () => vault.keyring.listStaff() });
  const staffName = (id: string | undefined) => staff.data?.find((s) => s.id === id)?.displayName ?? id;

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
          {auditKindNames.map((name) => (
            <option key={name} value={name}>
              {t(`audit.kinds.${name}`)}
            </option>
          ))}
        </select>
      </div>
      {entries.data && entries.data.length === 0 && <p>{t('audit.none')}</p>}
      {entries.data && entries.data.length > 0 && (
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
            {entries.data.slice(0, 500).map((entry) => {
              const name = auditKindOf(entry.event);
              return (
                <tr key={`${entry.workstationId}-${entry.seq}`}>
                  <td>{new Date(entry.event.recorded ?? 0).toLocaleString(i18n.language)}</td>
                  <td>{name ? t(`audit.kinds.${name}`) : '?'}</td>
                  <td>{staffName(auditUserIdOf(entry.event))}</td>
                  <td className="mono">{auditPatientIdOf(entry.event) ?? ''}</td>
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
