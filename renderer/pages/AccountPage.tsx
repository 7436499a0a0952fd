import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { errorText } from '../errors';
import { useVault } from '../vault/VaultContext';

export function AccountPage() {
  const { t } = useTranslation();
  const vault = useVault();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: () => vault.keyring.changePassphrase(current, next),
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <form className="card narrow" onSubmit={submit} noValidate>
        <h2>{t('account.change')}</h2>
        <Field label={t('account.current')} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
        <Field label={t('account.next')} help={t('setup.passphraseHelp')} type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />
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
