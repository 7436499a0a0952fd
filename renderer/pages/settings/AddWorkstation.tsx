import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { serviceErrorText } from '../../errors';
import { useData } from '../../data-client/DataContext';

/** How long a code may wait for its workstation: long enough to walk to it, short enough not to linger. */
const validities = [4, 24, 72] as const;

/**
 * An administrator makes a one-time code for the next workstation of the
 * clinic. The clinic's key travels with it (wrapped under the code, which
 * never reaches the hub), so the code is shown once, here, and never stored.
 */
export function AddWorkstation() {
  const { t, i18n } = useTranslation();
  const data = useData();
  const [hours, setHours] = useState<number>(24);
  const issue = useMutation({ mutationFn: () => data.call('hub.issueCode', { expiresInHours: hours }) });
  const selectId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    issue.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-workstation-title" className="subsection">
      <h3 id="add-workstation-title">{t('hub.addWorkstation')}</h3>
      <p>{t('hub.addIntro')}</p>
      <div className="field narrow-field">
        <label htmlFor={selectId}>{t('hub.validFor')}</label>
        <select id={selectId} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {validities.map((h) => (
            <option key={h} value={h}>
              {t('hub.hours', { count: h })}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={issue.isPending}>
        {issue.isPending ? t('hub.makingCode') : t('hub.makeCode')}
      </button>
      {issue.data && (
        <div className="code-box" role="status">
          <p>{t('hub.codeIntro')}</p>
          <p className="enrollment-code" data-testid="enrollment-code">
            {issue.data.code}
          </p>
          <p>{t('hub.codeValidUntil', { when: new Date(issue.data.expiresAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) })}</p>
          <p className="warning">{t('hub.codeShownOnce')}</p>
          <button type="button" className="secondary" onClick={() => issue.reset()}>
            {t('hub.codeDone')}
          </button>
        </div>
      )}
      <p role="alert" className="error">
        {issue.isError && serviceErrorText(t, issue.error)}
      </p>
    </form>
  );
}
