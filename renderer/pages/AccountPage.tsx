import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { emptyNewPassphrase, NewPassphraseFields, passphrasesMatch, type NewPassphrase } from '../components/NewPassphraseFields';
import { errorText } from '../errors';
import { useData } from '../data-client/DataContext';

export function AccountPage() {
  const { t } = useTranslation();
  const data = useData();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState<NewPassphrase>(emptyNewPassphrase);
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: () => data.call('staff.changePassphrase', { current, next: next.passphrase }),
    onSuccess: () => {
      setCurrent('');
      setNext(emptyNewPassphrase);
      setChecked(false);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (passphrasesMatch(next)) change.mutate();
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <form className="card narrow" onSubmit={submit} noValidate>
        <h2>{t('account.change')}</h2>
        <Field label={t('account.current')} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
        <NewPassphraseFields label={t('account.next')} help={t('setup.passphraseHelp')} value={next} onChange={setNext} checked={checked} />
        <button type="submit" disabled={change.isPending}>
          {t('account.submit')}
        </button>
        <p role="status" className={change.isError ? 'error' : undefined}>
          {change.isSuccess && t('account.changed')}
          {change.isError && errorText(t, change.error)}
        </p>
      </form>
    </section>
  );
}
