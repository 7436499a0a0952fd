import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { clinicSetupFieldsSchema, staffFieldErrors } from '../../../app/auth/staff-input';
import { Field } from '../../components/Field';
import { useSubmitErrors } from '../../components/use-submit-errors';
import { serviceErrorText } from '../../errors';
import { useData } from '../../data-client/DataContext';

export interface HubIds {
  clinicId: string;
  workstationId: string;
}

/**
 * The clinic and its first administrator. With `hubIds`, this is the clinic's
 * first workstation on a hub: the clinic takes the ids the hub gave it, so
 * its records sync to the right place.
 */
export function ClinicSetupForm({ hubIds, onJoinInstead, onLeaveHub }: { hubIds?: HubIds | undefined; onJoinInstead?: (() => void) | undefined; onLeaveHub?: (() => Promise<void>) | undefined }) {
  const { t } = useTranslation();
  const data = useData();
  const [form, setForm] = useState({ clinicName: '', displayName: '', username: '', passphrase: '', again: '' });
  const [touched, setTouched] = useState(false);
  // On success the vault unlocks and the recovery key screen takes over; sync starts by itself once the clinic exists.
  // On a hub, the vault checks first that the clinic has no staff there yet (else its key is elsewhere: join instead).
  const setup = useMutation({
    mutationFn: () => {
      const input = { clinicName: form.clinicName, displayName: form.displayName, username: form.username, passphrase: form.passphrase };
      return hubIds ? data.call('hub.setUpFirst', input) : data.call('vault.setupClinic', input);
    },
  });
  // Enrolled with the wrong hub or code (the setup above refused, say): forget the link and join again.
  const leave = useMutation({ mutationFn: () => onLeaveHub?.() ?? Promise.resolve() });
  const mismatch = touched && form.again !== form.passphrase;
  const fieldErrors = useSubmitErrors();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm({ ...form, [key]: e.target.value });
    fieldErrors.clear(key);
  };
  const error = (key: keyof typeof form) => fieldErrors.message(t, key);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const valid = fieldErrors.check(staffFieldErrors(clinicSetupFieldsSchema, form));
    if (valid && form.again === form.passphrase) setup.mutate();
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      {hubIds ? (
        <p className="banner ok" data-testid="first-on-hub">
          {t('setup.firstOnHub')}
        </p>
      ) : (
        <p>{t('setup.intro')}</p>
      )}
      <Field label={t('setup.clinicName')} error={error('clinicName')} value={form.clinicName} onChange={set('clinicName')} required autoFocus />
      <Field label={t('setup.displayName')} error={error('displayName')} value={form.displayName} onChange={set('displayName')} required autoComplete="name" />
      <Field label={t('setup.username')} help={t('setup.usernameHelp')} error={error('username')} value={form.username} onChange={set('username')} required autoComplete="username" />
      <Field label={t('setup.passphrase')} help={t('setup.passphraseHelp')} error={error('passphrase')} type="password" value={form.passphrase} onChange={set('passphrase')} required autoComplete="new-password" />
      <Field label={t('setup.passphraseAgain')} error={mismatch ? t('setup.mismatch') : undefined} type="password" value={form.again} onChange={set('again')} required autoComplete="new-password" />
      <button type="submit" disabled={setup.isPending}>
        {setup.isPending ? t('setup.creating') : t('setup.create')}
      </button>
      <p role="alert" className="error">
        {setup.isError && serviceErrorText(t, setup.error)}
      </p>
      {hubIds && onLeaveHub && (
        <div className="alternative">
          <p>{t('setup.leaveHubIntro')}</p>
          <button type="button" className="secondary" onClick={() => leave.mutate()} disabled={leave.isPending}>
            {t('setup.leaveHub')}
          </button>
          <p role="alert" className="error">
            {leave.isError && serviceErrorText(t, leave.error)}
          </p>
        </div>
      )}
      {onJoinInstead && (
        <div className="alternative">
          <p>{t('setup.joinIntro')}</p>
          <button type="button" className="secondary" onClick={onJoinInstead}>
            {t('setup.joinHub')}
          </button>
        </div>
      )}
    </form>
  );
}
