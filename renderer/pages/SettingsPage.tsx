import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, settingsSchema, type Locale } from '../../app/settings/settings';
import { useApi, useConnectionState } from '../api/ApiContext';
import { settingsQueryKey } from '../App';
import { errorText } from '../errors';
import { SystemInfo } from './SystemInfo';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <PreferencesForm />
      <SystemInfo />
    </section>
  );
}

const idleLockSchema = settingsSchema.shape.idleLockMinutes;

function PreferencesForm() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const connected = useConnectionState() === 'connected';
  const settings = useQuery({ queryKey: settingsQueryKey, queryFn: () => api.call('settings.get', {}), enabled: connected });
  const [locale, setLocale] = useState<Locale>('en');
  const [idleLock, setIdleLock] = useState('5');
  const [touched, setTouched] = useState(false);
  const ids = { locale: useId(), idle: useId(), idleHelp: useId() };

  useEffect(() => {
    if (settings.data) {
      setLocale(settings.data.locale);
      setIdleLock(String(settings.data.idleLockMinutes));
    }
  }, [settings.data]);

  const save = useMutation({
    mutationFn: (patch: { locale: Locale; idleLockMinutes: number }) => api.call('settings.update', patch),
    onSuccess: (next) => queryClient.setQueryData(settingsQueryKey, next),
  });

  const idleValid = idleLockSchema.safeParse(Number(idleLock)).success && /^\d+$/.test(idleLock.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (idleValid) save.mutate({ locale, idleLockMinutes: Number(idleLock) });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="preferences-title" className="card">
      <h2 id="preferences-title">{t('settings.preferences')}</h2>
      <div className="field">
        <label htmlFor={ids.locale}>{t('settings.language')}</label>
        <select id={ids.locale} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {locales.map((code) => (
            <option key={code} value={code} lang={code}>
              {t(`languages.${code}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.idle}>{t('settings.idleLock')}</label>
        <input
          id={ids.idle}
          inputMode="numeric"
          value={idleLock}
          onChange={(e) => setIdleLock(e.target.value)}
          aria-invalid={touched && !idleValid}
          aria-describedby={ids.idleHelp}
        />
        <small id={ids.idleHelp} className={touched && !idleValid ? 'error' : undefined}>
          {touched && !idleValid ? t('settings.idleLockInvalid') : t('settings.idleLockHelp')}
        </small>
      </div>
      <button type="submit" disabled={save.isPending || !settings.data}>
        {save.isPending ? t('settings.saving') : t('settings.save')}
      </button>
      <p role="status" aria-live="polite" data-testid="settings-result">
        {save.isSuccess && t('settings.saved')}
        {save.isError && <span className="error">{errorText(t, save.error)}</span>}
        {settings.isError && <span className="error">{errorText(t, settings.error)}</span>}
      </p>
    </form>
  );
}
