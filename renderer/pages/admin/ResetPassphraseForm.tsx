import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { emptyNewPassphrase, NewPassphraseFields, passphrasesMatch, type NewPassphrase } from '../../components/NewPassphraseFields';
import { errorText } from '../../errors';
import type { StaffSummary } from '../../../app/contract/data-api';
import { useData } from '../../data-client/DataContext';

/**
 * An admin sets a temporary passphrase for someone who forgot theirs, and
 * tells it to them in person; at their next login they must choose their own.
 */
export function ResetPassphraseForm({ person, onClose, onReset }: { person: StaffSummary; onClose: () => void; onReset: () => void }) {
  const { t } = useTranslation();
  const data = useData();
  const [temporary, setTemporary] = useState<NewPassphrase>(emptyNewPassphrase);
  const [checked, setChecked] = useState(false);
  const reset = useMutation({
    mutationFn: () => data.call('staff.resetPassphrase', { userId: person.id, temporary: temporary.passphrase }),
    onSuccess: () => {
      setTemporary(emptyNewPassphrase);
      setChecked(false);
      onReset();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (passphrasesMatch(temporary)) reset.mutate();
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="reset-title">
      <h2 id="reset-title">{t('staff.resetTitle', { name: person.displayName })}</h2>
      <p>{t('staff.resetIntro')}</p>
      <NewPassphraseFields label={t('staff.temporary')} help={t('setup.passphraseHelp')} value={temporary} onChange={setTemporary} checked={checked} />
      <button type="submit" disabled={reset.isPending || reset.isSuccess}>
        {t('staff.resetSubmit')}
      </button>
      <button type="button" className="link" onClick={onClose}>
        {reset.isSuccess ? t('staff.resetDone') : t('staff.resetCancel')}
      </button>
      <p role="status" className={reset.isError ? 'error' : undefined}>
        {reset.isSuccess && t('staff.resetOk', { name: person.displayName })}
        {reset.isError && errorText(t, reset.error)}
      </p>
    </form>
  );
}
