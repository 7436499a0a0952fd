import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loginFieldsSchema, recoveryFieldsSchema, staffFieldErrors } from '../../app/auth/staff-input';
import { Field } from '../components/Field';
import { useSubmitErrors } from '../components/use-submit-errors';
import { emptyNewPassphrase, NewPassphraseFields, passphrasesMatch, type NewPassphrase } from '../components/NewPassphraseFields';
import { errorText } from '../errors';
import { StoreError } from '../store/store-error';
import type { LockReason } from '../../app/contract/data-api';
import { useData, useInterruptedSession } from '../data-client/DataContext';
import { HubArrivalNote } from './HubArrivalNote';
import { SystemInfo } from './SystemInfo';

type Mode = 'unlock' | 'change' | 'forgot' | 'recover';

/**
 * Login and unlock: the same screen, since every start is locked. While
 * locked it replaces every page; only the workstation's facts stay readable
 * below it (for support, they hold no patient data).
 */
export function LockScreen({ clinicName, reason }: { clinicName: string; reason: 'start' | LockReason }) {
  const { t } = useTranslation();
  return (
    <>
      <UnlockForm clinicName={clinicName} reason={reason} />
      <details className="card narrow">
        <summary>{t('lock.aboutWorkstation')}</summary>
        <SystemInfo />
      </details>
    </>
  );
}

function UnlockForm({ clinicName, reason }: { clinicName: string; reason: 'start' | LockReason }) {
  const { t } = useTranslation();
  const data = useData();
  const [mode, setMode] = useState<Mode>('unlock');
  // After the data worker stopped under someone's work, the lock screen is theirs to open again.
  const interrupted = useInterruptedSession();
  const [username, setUsername] = useState(interrupted?.username ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [next, setNext] = useState<NewPassphrase>(emptyNewPassphrase);
  const [checked, setChecked] = useState(false);
  const [recoveryKey, setRecoveryKey] = useState('');
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const track = (done: number, total: number) => setProgress({ done, total });
  const unlock = useMutation({
    mutationFn: () => data.call('vault.login', { username, passphrase }, { onProgress: track }),
    onError: (error) => {
      // A passphrase an administrator set: the same login goes on with the person's own new one.
      if (error instanceof StoreError && error.code === 'passphrase_change_required') show('change');
      else setPassphrase('');
    },
  });
  const change = useMutation({ mutationFn: () => data.call('vault.login', { username, passphrase, newPassphrase: next.passphrase }, { onProgress: track }) });
  const recover = useMutation({ mutationFn: () => data.call('vault.recover', { recoveryKey, username, passphrase: next.passphrase }, { onProgress: track }) });
  const active = mode === 'change' ? change : mode === 'recover' ? recover : unlock;
  const setsPassphrase = mode === 'change' || mode === 'recover';
  const fieldErrors = useSubmitErrors();

  function show(nextMode: Mode) {
    fieldErrors.reset();
    setMode(nextMode);
    setNext(emptyNewPassphrase);
    setChecked(false);
    if (nextMode === 'unlock') setPassphrase('');
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Typed at all: checked here, before the slow key derivation, so an empty form marks each field.
    const missing =
      mode === 'unlock'
        ? staffFieldErrors(loginFieldsSchema, { username, passphrase })
        : mode === 'recover'
          ? staffFieldErrors(recoveryFieldsSchema.pick({ recoveryKey: true, username: true }), { recoveryKey, username })
          : {};
    if (!fieldErrors.check(missing)) return;
    if (setsPassphrase) {
      setChecked(true);
      if (!passphrasesMatch(next)) return;
    }
    active.mutate();
  };

  if (mode === 'forgot') {
    return (
      <section className="card narrow" aria-labelledby="forgot-title">
        <h1 id="forgot-title">{t('lock.forgotTitle')}</h1>
        <p data-testid="forgot-advice">{t('lock.askAdmin')}</p>
        <p>{t('lock.adminRecovery')}</p>
        <button type="button" className="secondary" onClick={() => show('recover')}>
          {t('lock.useRecoveryKey')}
        </button>
        <button type="button" className="link" onClick={() => show('unlock')}>
          {t('lock.back')}
        </button>
      </section>
    );
  }

  const title = mode === 'recover' ? t('lock.recoverTitle') : mode === 'change' ? t('lock.changeTitle') : t('lock.title', { clinic: clinicName });
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="lock-title">
      <h1 id="lock-title">{title}</h1>
      {reason === 'idle' && mode === 'unlock' && <p>{t('lock.idle')}</p>}
      {interrupted && mode === 'unlock' && (
        <p role="alert" data-testid="data-service-stopped">
          {t('lock.dataServiceStopped')}
        </p>
      )}
      {reason === 'service-restart' && mode === 'unlock' && (
        <p role="alert" data-testid="service-restarted">
          {t('lock.serviceRestarted')}
        </p>
      )}
      {mode === 'unlock' && <HubArrivalNote />}
      {mode === 'change' && <p data-testid="change-required">{t('lock.changeRequired')}</p>}
      {mode === 'recover' && (
        <Field
          label={t('lock.recoveryKey')}
          error={fieldErrors.message(t, 'recoveryKey')}
          value={recoveryKey}
          onChange={(e) => {
            setRecoveryKey(e.target.value);
            fieldErrors.clear('recoveryKey');
          }}
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {mode !== 'change' && (
        <Field
          label={t('lock.username')}
          error={fieldErrors.message(t, 'username')}
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            fieldErrors.clear('username');
          }}
          autoComplete="username"
          autoFocus
        />
      )}
      {mode === 'unlock' && (
        <Field
          label={t('lock.passphrase')}
          error={fieldErrors.message(t, 'passphrase')}
          type="password"
          value={passphrase}
          onChange={(e) => {
            setPassphrase(e.target.value);
            fieldErrors.clear('passphrase');
          }}
          autoComplete="current-password"
        />
      )}
      {setsPassphrase && <NewPassphraseFields label={t('lock.newPassphrase')} help={t('setup.passphraseHelp')} value={next} onChange={setNext} checked={checked} />}
      <button type="submit" disabled={active.isPending}>
        {active.isPending ? t('lock.unlocking') : mode === 'recover' ? t('lock.recover') : mode === 'change' ? t('lock.changeAndUnlock') : t('lock.unlock')}
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
      <button type="button" className="link" onClick={() => show(mode === 'unlock' ? 'forgot' : 'unlock')}>
        {mode === 'unlock' ? t('lock.forgot') : t('lock.back')}
      </button>
    </form>
  );
}
