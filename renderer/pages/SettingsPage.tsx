import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, settingsSchema, type Locale, type Settings } from '../../app/settings/settings';
import { useSettings, useUpdateSettings } from '../api/use-settings';
import { errorText } from '../errors';
import { HubSection } from './settings/HubSection';
import { SystemInfo } from './SystemInfo';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <Preferences />
      <HubSection />
      <SystemInfo />
    </section>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const settings = useSettings();
  const save = useUpdateSettings();
  return (
    <section aria-labelledby="preferences-title" className="card">
      <h2 id="preferences-title">{t('settings.preferences')}</h2>
      {settings.isError && <p className="error">{errorText(t, settings.error)}</p>}
      {!settings.data && !settings.isError && <p>{t('settings.loading')}</p>}
      {/* Remounted with each saved version, so the fields always start from what is stored. */}
      {settings.data && <PreferencesForm key={JSON.stringify(settings.data)} stored={settings.data} save={save} />}
      <p role="status" aria-live="polite" data-testid="settings-result">
        {save.isSuccess && t('settings.saved')}
        {save.isError && <span className="error">{errorText(t, save.error)}</span>}
      </p>
    </section>
  );
}

const idleLockSchema = settingsSchema.shape.idleLockMinutes;

function PreferencesForm({ stored, save }: { stored: Settings; save: ReturnType<typeof useUpdateSettings> }) {
  const { t } = useTranslation();
  const [locale, setLocale] = useState<Locale>(stored.locale);
  const [idleLock, setIdleLock] = useState(String(stored.idleLockMinutes));
  const [touched, setTouched] = useState(false);
  const ids = { locale: useId(), idle: useId(), idleHelp: useId() };

  const idleValid = /^\d+$/.test(idleLock.trim()) && idleLockSchema.safeParse(Number(idleLock)).success;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (idleValid) save.mutate({ locale, idleLockMinutes: Number(idleLock) });
  };

  return (
    <form onSubmit={submit} noValidate>
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
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? t('settings.saving') : t('settings.save')}
      </button>
    </form>
  );
}
