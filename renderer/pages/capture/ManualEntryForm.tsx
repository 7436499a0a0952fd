import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { acvpuLevels } from '../../../app/clinical/news2';
import { vitalNameKey } from '../../../app/clinical/vital-display';
import {
  acvpuLabelKeys,
  manualEntryFieldErrors,
  manualEntrySchema,
  observationsFromManualEntry,
  unitDisplay,
  validationProblems,
  type ManualEntryField,
  type ValidationProblem,
} from '../../../app/observations/observation';
import { vitals, type VitalKind } from '../../../app/terminology/vitals';
import { Field } from '../../components/Field';
import { errorText } from '../../errors';
import { newId } from '../../store/ids';
import { phiKey, useSession, useData } from '../../data-client/DataContext';

type Values = Record<Exclude<ManualEntryField, 'onOxygen' | 'spo2Scale'>, string> & { onOxygen: '' | 'air' | 'oxygen' };
const empty: Values = { respiratoryRate: '', consciousness: '', temperature: '', systolic: '', diastolic: '', spo2: '', onOxygen: '', pulse: '', weight: '' };
type NumberField = Exclude<keyof Values, 'consciousness' | 'onOxygen'>;

/** The vital each typed field records: its one name and unit come from there. */
const fieldKinds: Record<NumberField, VitalKind> = {
  respiratoryRate: 'respiratoryRate',
  temperature: 'bodyTemperature',
  systolic: 'systolic',
  diastolic: 'diastolic',
  pulse: 'pulse',
  spo2: 'spo2',
  weight: 'bodyWeight',
};

const given = (text: string) => text.trim() !== '';

/**
 * Vital signs typed by the nurse when no device is at hand: any of them, a
 * temperature alone as well as the whole NEWS2 set. A field becomes required
 * (and is marked so) only when the value it belongs with is typed: the other
 * half of a blood pressure, air or oxygen with an SpO2.
 */
export function ManualEntryForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const data = useData();
  const session = useSession();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<ReturnType<typeof manualEntryFieldErrors>>({});
  const [formProblem, setFormProblem] = useState<Omit<ValidationProblem, 'path'>>();
  const save = useMutation({
    mutationFn: (drafts: unknown[]) => data.call('observations.record', { drafts }),
    onSuccess: () => {
      setValues(empty);
      void queryClient.invalidateQueries({ queryKey: [phiKey, 'observations', patientId] });
    },
  });
  const required: Partial<Record<keyof Values, boolean>> = {
    systolic: given(values.diastolic),
    diastolic: given(values.systolic),
    onOxygen: given(values.spo2),
  };
  const label = (name: string, field: keyof Values) => (required[field] ? `${name} ${t('capture.manual.required')}` : name);
  const error = (field: ManualEntryField) => {
    const problem = errors[field];
    return problem ? t(problem.key, problem.params) : undefined;
  };
  const text = (field: NumberField) => {
    const kind = fieldKinds[field];
    return (
      <Field
        label={label(`${t(vitalNameKey(kind))} (${unitDisplay[vitals[kind].unit]})`, field)}
        inputMode={field === 'temperature' || field === 'weight' ? 'decimal' : 'numeric'}
        value={values[field]}
        error={error(field)}
        aria-required={required[field] || undefined}
        onChange={(e) => setValues({ ...values, [field]: e.target.value })}
      />
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const parsed = manualEntrySchema.safeParse({ ...values, onOxygen: values.onOxygen === '' ? '' : values.onOxygen === 'oxygen' });
    if (!parsed.success) {
      setErrors(manualEntryFieldErrors(parsed.error));
      const whole = validationProblems(parsed.error).find((problem) => problem.path === '');
      setFormProblem(whole && (whole.params ? { key: whole.key, params: whole.params } : { key: whole.key }));
      return;
    }
    setErrors({});
    setFormProblem(undefined);
    save.mutate(observationsFromManualEntry(parsed.data, { patientId, recordedBy: session.userId, confirmedAt: new Date().toISOString(), newId: () => newId('obs') }));
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="manual-title" data-testid="manual-entry">
      <h2 id="manual-title">{t('capture.manual.title')}</h2>
      <p className="muted">{t('capture.manual.help')}</p>
      <div className="grid-3">
        {text('respiratoryRate')}
        <div className="field">
          <label htmlFor="manual-acvpu">{t(vitalNameKey('consciousness'))}</label>
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
        {text('temperature')}
        {text('systolic')}
        {text('diastolic')}
        {text('pulse')}
        {text('spo2')}
        <div className="field">
          <label htmlFor="manual-oxygen">{label(t(vitalNameKey('airOrOxygen')), 'onOxygen')}</label>
          <select
            id="manual-oxygen"
            value={values.onOxygen}
            onChange={(e) => setValues({ ...values, onOxygen: e.target.value as Values['onOxygen'] })}
            aria-invalid={errors.onOxygen ? true : undefined}
            aria-required={required.onOxygen || undefined}
          >
            <option value="">—</option>
            <option value="air">{t('vitals.airOrOxygen.air')}</option>
            <option value="oxygen">{t('vitals.airOrOxygen.oxygen')}</option>
          </select>
          {error('onOxygen') && <small className="error">{error('onOxygen')}</small>}
        </div>
        {text('weight')}
      </div>
      {formProblem && <p className="error">{t(formProblem.key, formProblem.params)}</p>}
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
