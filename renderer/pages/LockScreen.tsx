import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { errorText } from '../errors';
import { useVault } from '../vault/VaultContext';
import { HubArrivalNote } from './HubArrivalNote';

/** Login and unlock: the same screen, since every start is locked. */
export function LockScreen({ clinicName, idle }: { clinicName: string; idle: boolean }) {
  const { t } = useTranslation();
  const vault = useVault();
  const [mode, setMode] = useState<'unlock' | 'recover'>('unlock');
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const track = (done: number, total: number) => setProgress({ done, total });
  const unlock = useMutation({ mutationFn: () => vault.login(username, passphrase, track), onError: () => setPassphrase('') });
  const recover = useMutation({ mutationFn: () => vault.recover(recoveryKey, username, passphrase, track) });
  const active = mode === 'unlock' ? unlock : recover;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    active.mutate();
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="lock-title">
      <h1 id="lock-title">{mode === 'unlock' ? t('lock.title', { clinic: clinicName }) : t('lock.recoverTitle')}</h1>
      {idle && mode === 'unlock' && <p>{t('lock.idle')}</p>}
      {mode === 'unlock' && <HubArrivalNote />}
      {mode === 'recover' && <Field label={t('lock.recoveryKey')} value={recoveryKey} onChange={(e) => setRecoveryKey(e.target.value)} autoComplete="off" spellCheck={false} />}
      <Field label={t('lock.username')} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus />
      <Field
        label={mode === 'unlock' ? t('lock.passphrase') : t('lock.newPassphrase')}
        type="password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        autoComplete={mode === 'unlock' ? 'current-password' : 'new-password'}
      />
      <button type="submit" disabled={active.isPending}>
        {active.isPending ? t('lock.unlocking') : mode === 'unlock' ? t('lock.unlock') : t('lock.recover')}
      </button>
      {active.isPending && progress && progress.total > 0 && (
        <div className="progress" data-testid="unlock-progress">
          <progress value={progress.done} max={progress.total} />
          <span>{t('lock.opening', { done: progress.done.toLocaleString(), total: progress.total.toLocaleString() })}</span>
        </div>
      )}
      <p role="alert" className="error" data-testid="lock-error">
        {active.isError && errorText(t, active.error)}
      </p>
      <button type="button" className="link" onClick={() => setMode(mode === 'unlock' ? 'recover' : 'unlock')}>
        {mode === 'unlock' ? t('lock.forgot') : t('lock.back')}
      </button>
    </form>
  );
}
