import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sexes, type PatientInput, type Sex } from '../../../app/patients/patient';
import { Field } from '../../components/Field';
import { errorText } from '../../errors';
import { StoreError } from '../../store/store-error';

export type PatientFormValues = Record<'givenNames' | 'familyName' | 'birthDate' | 'estimatedAgeYears' | 'phone' | 'village' | 'address' | 'nationalId', string> & {
  sex: Sex | '';
  birthKnown: boolean;
};

export const emptyPatientForm: PatientFormValues = {
  givenNames: '',
  familyName: '',
  sex: '',
  birthKnown: true,
  birthDate: '',
  estimatedAgeYears: '',
  phone: '',
  village: '',
  address: '',
  nationalId: '',
};

export function formFromPatient(p: PatientInput): PatientFormValues {
  return {
    givenNames: p.givenNames,
    familyName: p.familyName,
    sex: p.sex,
    birthKnown: p.birthDate !== undefined,
    birthDate: p.birthDate ?? '',
    estimatedAgeYears: p.estimatedAgeYears === undefined ? '' : String(p.estimatedAgeYears),
    phone: p.phone ?? '',
    village: p.village ?? '',
    address: p.address ?? '',
    nationalId: p.nationalId ?? '',
  };
}

/** What the form sends to the store; the store's schema is the one judge of validity. */
function toInput(v: PatientFormValues): Record<string, unknown> {
  return {
    givenNames: v.givenNames,
    familyName: v.familyName,
    sex: v.sex || undefined,
    birthDate: v.birthKnown ? v.birthDate : undefined,
    estimatedAgeYears: v.birthKnown || v.estimatedAgeYears.trim() === '' ? undefined : Number(v.estimatedAgeYears),
    phone: v.phone,
    village: v.village,
    address: v.address,
    nationalId: v.nationalId,
  };
}

interface Props {
  title: string;
  initial: PatientFormValues;
  saving: boolean;
  error: unknown;
  onSave: (input: Record<string, unknown>) => void;
  onCancel: () => void;
}

export function PatientForm({ title, initial, saving, error, onSave, onCancel }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const sexErrorId = useId();
  const fieldError = (name: string) => {
    const fields = error instanceof StoreError ? error.fields : {};
    // "Date of birth or estimated age" is reported on birthDate; with the age field shown, it belongs there.
    const key = name === 'estimatedAgeYears' ? (fields.estimatedAgeYears ?? fields.birthDate) : fields[name];
    return key ? t(key) : undefined;
  };
  const text = (name: keyof Omit<PatientFormValues, 'sex' | 'birthKnown'>, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field label={t(`patients.fields.${name}`)} value={values[name]} error={fieldError(name)} onChange={(e) => setValues({ ...values, [name]: e.target.value })} {...extra} />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(toInput(values));
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="patient-form-title">
      <h1 id="patient-form-title">{title}</h1>
      <div className="grid-2">
        {text('givenNames', { autoFocus: true, autoComplete: 'off' })}
        {text('familyName', { autoComplete: 'off' })}
      </div>
      <fieldset className="field" aria-invalid={fieldError('sex') ? true : undefined} aria-describedby={fieldError('sex') ? sexErrorId : undefined}>
        <legend>{t('patients.fields.sex')}</legend>
        <div className="choices">
          {sexes.map((sex) => (
            <label key={sex} className="check">
              <input type="radio" name="sex" value={sex} checked={values.sex === sex} onChange={() => setValues({ ...values, sex })} /> {t(`patients.sexes.${sex}`)}
            </label>
          ))}
        </div>
        {fieldError('sex') && (
          <small id={sexErrorId} className="error">
            {fieldError('sex')}
          </small>
        )}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={values.birthKnown} onChange={(e) => setValues({ ...values, birthKnown: e.target.checked })} /> {t('patients.fields.birthKnown')}
      </label>
      {values.birthKnown ? text('birthDate', { type: 'date' }) : text('estimatedAgeYears', { inputMode: 'numeric' })}
      <div className="grid-2">
        {text('phone', { type: 'tel', autoComplete: 'off' })}
        {text('nationalId', { autoComplete: 'off' })}
        {text('village', { autoComplete: 'off' })}
        {text('address', { autoComplete: 'off' })}
      </div>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? t('patients.saving') : t('patients.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('patients.cancel')}
        </button>
      </div>
      <p role="alert" className="error">
        {error !== null && error !== undefined && errorText(t, error)}
      </p>
    </form>
  );
}
