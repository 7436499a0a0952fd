import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, type Locale, type Settings } from '../../app/settings/settings';
import { useSettings, useUpdateSettings } from '../api/use-settings';
import { errorText } from '../errors';
import { ClinicSettingsSection } from './settings/ClinicSettingsSection';
import { FhirServerSection } from './settings/FhirServerSection';
import { Hl7EndpointSection } from './settings/Hl7EndpointSection';
import { HubSection } from './settings/HubSection';
import { MapBackgroundSection } from './settings/MapBackgroundSection';
import { SystemInfo } from './SystemInfo';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <Preferences />
      <ClinicSettingsSection />
      <HubSection />
      <FhirServerSection />
      <Hl7EndpointSection />
      <MapBackgroundSection />
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
      {/* This workstation's own choice; the clinic-wide settings are in their own section. */}
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

function PreferencesForm({ stored, save }: { stored: Settings; save: ReturnType<typeof useUpdateSettings> }) {
  const { t } = useTranslation();
  const [locale, setLocale] = useState<Locale>(stored.locale);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ locale });
  };

  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{t('settings.language')}</label>
        <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {locales.map((code) => (
            <option key={code} value={code} lang={code}>
              {t(`languages.${code}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? t('settings.saving') : t('settings.save')}
      </button>
    </form>
  );
}
