import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { dateOrders, glucoseDisplayUnits, type ClinicSettingsInput, type DateOrder, type GlucoseDisplayUnit } from '../../../app/settings/clinic-settings';
import { errorText } from '../../errors';
import { formatDateTime } from '../../format/format';
import { StoreError } from '../../store/store-error';
import { clinicSettingsKey, useClinicSettingsRecord, useFormatContext } from '../../vault/use-clinic-settings';
import { useData, useVaultState } from '../../data-client/DataContext';

const numberFields = ['idleLockMinutes', 'news2WindowHours', 'glucometerMaxAgeDays'] as const;
type NumberField = (typeof numberFields)[number];

/**
 * Settings, "Clinic settings": one record for every workstation of the
 * clinic. An admin edits it; others see it read-only; while locked it is not
 * shown at all (it cannot be opened without the clinic key, and the store
 * refuses anyway).
 */
export function ClinicSettingsSection() {
  const { t } = useTranslation();
  const state = useVaultState();
  return (
    <section aria-labelledby="clinic-settings-title" className="card" data-testid="clinic-settings">
      <h2 id="clinic-settings-title">{t('settings.clinic.title')}</h2>
      {state.status === 'unlocked' ? <ClinicSettingsBody admin={can(state.session.role, 'clinicSettings.manage')} /> : <p data-testid="clinic-settings-locked">{t('settings.clinic.locked')}</p>}
    </section>
  );
}

function useSaveClinicSettings() {
  const data = useData();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Record<string, unknown>) => data.call('clinicSettings.update', { input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clinicSettingsKey }),
  });
}

function ClinicSettingsBody({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const record = useClinicSettingsRecord();
  // Here, not in the form: the form restarts from each saved version, the outcome stays on screen.
  const save = useSaveClinicSettings();
  if (record.isError) return <p className="error">{errorText(t, record.error)}</p>;
  if (!record.data) return <p>{t('settings.loading')}</p>;
  const { data } = record;
  return (
    <>
      <p className="muted">{t('settings.clinic.help')}</p>
      {data.status === 'unreadable' && <p className="error">{t('settings.clinic.unreadable')}</p>}
      {data.status === 'saved' && <SavedNote at={Date.parse(data.settings.updatedAt)} />}
      {admin ? <ClinicSettingsForm key={JSON.stringify(data.settings)} stored={data.settings} save={save} /> : <ClinicSettingsView settings={data.settings} />}
      {admin && (
        <p role="status" aria-live="polite" data-testid="clinic-settings-result">
          {save.isSuccess && t('settings.saved')}
          {save.isError && !(save.error instanceof StoreError && save.error.code === 'invalid') && <span className="error">{errorText(t, save.error)}</span>}
        </p>
      )}
    </>
  );
}

function SavedNote({ at }: { at: number }) {
  const { t } = useTranslation();
  const format = useFormatContext();
  return <p className="muted">{t('settings.clinic.savedAt', { at: formatDateTime(at, format) })}</p>;
}

function ClinicSettingsView({ settings }: { settings: ClinicSettingsInput }) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="facts" data-testid="clinic-settings-view">
        {numberFields.map((field) => (
          <Fragment key={field}>
            <dt>{t(`settings.clinic.${field}`)}</dt>
            <dd>{settings[field]}</dd>
          </Fragment>
        ))}
        <dt>{t('settings.clinic.dateOrder')}</dt>
        <dd>{t(`settings.clinic.dateOrders.${settings.dateOrder}`)}</dd>
        <dt>{t('settings.clinic.glucoseUnit')}</dt>
        <dd>{settings.glucoseUnit}</dd>
      </dl>
      <p>{t('settings.clinic.adminOnly')}</p>
    </>
  );
}

type Draft = Record<NumberField, string> & { dateOrder: DateOrder; glucoseUnit: GlucoseDisplayUnit };

function ClinicSettingsForm({ stored, save }: { stored: ClinicSettingsInput; save: ReturnType<typeof useSaveClinicSettings> }) {
  const { t } = useTranslation();
  const ids = { idleLockMinutes: useId(), news2WindowHours: useId(), glucometerMaxAgeDays: useId(), dateOrder: useId(), glucoseUnit: useId() };
  const [draft, setDraft] = useState<Draft>({
    idleLockMinutes: String(stored.idleLockMinutes),
    news2WindowHours: String(stored.news2WindowHours),
    glucometerMaxAgeDays: String(stored.glucometerMaxAgeDays),
    dateOrder: stored.dateOrder,
    glucoseUnit: stored.glucoseUnit,
  });
  const fieldErrors = save.error instanceof StoreError ? save.error.fields : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Anything but whole digits is sent as NaN, so the store's schema refuses it with the field's own message.
    const whole = (text: string) => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
    save.mutate({
      idleLockMinutes: whole(draft.idleLockMinutes),
      news2WindowHours: whole(draft.news2WindowHours),
      glucometerMaxAgeDays: whole(draft.glucometerMaxAgeDays),
      dateOrder: draft.dateOrder,
      glucoseUnit: draft.glucoseUnit,
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="clinic-settings-form">
      {numberFields.map((field) => {
        const problem = fieldErrors[field];
        const note = `${ids[field]}-note`;
        return (
          <div className="field" key={field}>
            <label htmlFor={ids[field]}>{t(`settings.clinic.${field}`)}</label>
            <input
              id={ids[field]}
              inputMode="numeric"
              value={draft[field]}
              onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
              aria-invalid={problem ? true : undefined}
              aria-describedby={note}
            />
            <small id={note} className={problem ? 'error' : undefined}>
              {problem ? t(problem) : t(`settings.clinic.${field}Help`)}
            </small>
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={ids.dateOrder}>{t('settings.clinic.dateOrder')}</label>
        <select id={ids.dateOrder} value={draft.dateOrder} onChange={(e) => setDraft({ ...draft, dateOrder: e.target.value as DateOrder })}>
          {dateOrders.map((order) => (
            <option key={order} value={order}>
              {t(`settings.clinic.dateOrders.${order}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.glucoseUnit}>{t('settings.clinic.glucoseUnit')}</label>
        <select id={ids.glucoseUnit} value={draft.glucoseUnit} onChange={(e) => setDraft({ ...draft, glucoseUnit: e.target.value as GlucoseDisplayUnit })}>
          {glucoseDisplayUnits.map((unit) => (
            <option key={unit} value={unit}>
              {unit}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? t('settings.saving') : t('settings.clinic.save')}
      </button>
    </form>
  );
}
