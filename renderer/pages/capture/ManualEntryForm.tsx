import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { acvpuLevels } from '../../../app/clinical/news2';
import { acvpuLabelKeys, manualEntryFieldErrors, manualEntrySchema, observationsFromManualEntry, type ManualEntryField } from '../../../app/observations/observation';
import { Field } from '../../components/Field';
import { errorText } from '../../errors';
import { newId } from '../../store/ids';
import { phiKey, useSession, useVault } from '../../vault/VaultContext';

type Values = Record<Exclude<ManualEntryField, 'onOxygen' | 'spo2Scale'>, string> & { onOxygen: '' | 'air' | 'oxygen' };
const empty: Values = { respiratoryRate: '', consciousness: '', temperature: '', systolic: '', diastolic: '', spo2: '', onOxygen: '', pulse: '', weight: '' };

/** Vital signs typed by the nurse when no device is at hand: the NEWS2 set, checked before anything is stored. */
export function ManualEntryForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const vault = useVault();
  const session = useSession();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<ReturnType<typeof manualEntryFieldErrors>>({});
  const save = useMutation({
    mutationFn: (drafts: unknown[]) => vault.observations.record(drafts),
    onSuccess: () => {
      setValues(empty);
      void queryClient.invalidateQueries({ queryKey: [phiKey, 'observations', patientId] });
    },
  });
  const error = (field: ManualEntryField) => {
    const problem = errors[field];
    return problem ? t(problem.key, problem.params) : undefined;
  };
  const text = (field: keyof Omit<Values, 'consciousness' | 'onOxygen'>, extra: { inputMode?: 'numeric' | 'decimal'; label?: string } = {}) => (
    <Field label={extra.label ?? t(`capture.manual.${field}`)} inputMode={extra.inputMode ?? 'numeric'} value={values[field]} error={error(field)} onChange={(e) => setValues({ ...values, [field]: e.target.value })} />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = manualEntrySchema.safeParse({ ...values, onOxygen: values.onOxygen === '' ? '' : values.onOxygen === 'oxygen' });
    if (!parsed.success) {
      setErrors(manualEntryFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    save.mutate(observationsFromManualEntry(parsed.data, { patientId, recordedBy: session.userId, confirmedAt: new Date().toISOString(), newId: () => newId('obs') }));
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="manual-title">
      <h2 id="manual-title">{t('capture.manual.title')}</h2>
      <div className="grid-3">
        {text('respiratoryRate')}
        <div className="field">
          <label htmlFor="manual-acvpu">{t('capture.manual.consciousness')}</label>
          <select id="manual-acvpu" value={values.consciousness} onChange={(e) => setValues({ ...values, consciousness: e.target.value })} aria-invalid={errors.consciousness ? true : undefined}>
            <option value="">—</option>
            {acvpuLevels.map((level) => (
              <option key={level} value={level}>
                {t(acvpuLabelKeys[level])}
              </option>
            ))}
          </select>
          {error('consciousness') && <small className="error">{error('consciousness')}</small>}
        </div>
        {text('temperature', { inputMode: 'decimal' })}
        {text('systolic')}
        {text('diastolic')}
        {text('pulse')}
        {text('spo2')}
        <div className="field">
          <label htmlFor="manual-oxygen">{t('capture.oxygen')}</label>
          <select id="manual-oxygen" value={values.onOxygen} onChange={(e) => setValues({ ...values, onOxygen: e.target.value as Values['onOxygen'] })} aria-invalid={errors.onOxygen ? true : undefined}>
            <option value="">—</option>
            <option value="air">{t('capture.air')}</option>
            <option value="oxygen">{t('capture.onOxygen')}</option>
          </select>
          {error('onOxygen') && <small className="error">{error('onOxygen')}</small>}
        </div>
        {text('weight', { inputMode: 'decimal' })}
      </div>
      <button type="submit" disabled={save.isPending}>
        {t('capture.manual.save')}
      </button>
      <p role="status" className={save.isError ? 'error' : undefined}>
        {save.isSuccess && t('capture.stored')}
        {save.isError && errorText(t, save.error)}
      </p>
    </form>
  );
}
