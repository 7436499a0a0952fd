import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { errorText } from '../../errors';
import { phiKey, useData } from '../../data-client/DataContext';
import { emptyPatientForm, formFromPatient, PatientForm } from './PatientForm';
import { usePatient } from './use-patient';

export function NewPatientPage() {
  const { t } = useTranslation();
  const data = useData();
  const navigate = useNavigate();
  const save = useMutation({
    mutationFn: (input: Record<string, unknown>) => data.call('patients.register', { input }),
    onSuccess: (patient) => void navigate(`/patients/${patient.id}`),
  });
  return <PatientForm title={t('patients.newTitle')} initial={emptyPatientForm} saving={save.isPending} error={save.error} onSave={save.mutate} onCancel={() => void navigate('/patients')} />;
}

export function EditPatientPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const data = useData();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const patient = usePatient(id);
  const save = useMutation({
    mutationFn: (input: Record<string, unknown>) => data.call('patients.update', { id, input }),
    onSuccess: (updated) => {
      queryClient.setQueryData([phiKey, 'patient', id], updated);
      void navigate(`/patients/${id}`);
    },
  });
  if (patient.isError) return <p className="error">{errorText(t, patient.error)}</p>;
  if (!patient.data) return <p>{t('settings.loading')}</p>;
  return (
    <PatientForm
      title={t('patients.editTitle')}
      initial={formFromPatient(patient.data)}
      saving={save.isPending}
      error={save.error}
      onSave={save.mutate}
      onCancel={() => void navigate(`/patients/${id}`)}
    />
  );
}
