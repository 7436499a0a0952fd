import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/query-keys';
import { Field } from '../../components/Field';
import { serviceErrorText } from '../../errors';
import { StoreError } from '../../store/store-error';
import { useData } from '../../data-client/DataContext';

/**
 * A clinic that started offline joins a hub: the hub's administrator adds the
 * clinic there under this clinic's id (shown here to pass on) and gives a
 * one-time code; entering it links this workstation, and sync starts.
 */
export function ConnectHubForm({ clinicId }: { clinicId: string }) {
  const { t } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const [workstationName, setWorkstationName] = useState('');
  const [touched, setTouched] = useState(false);
  const connect = useMutation({
    mutationFn: () => data.call('hub.connect', { hubUrl: hubUrl.trim(), code, workstationName: workstationName.trim() }),
    // The data worker starts sync again itself once linked.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.hubStatus }),
  });
  const codeError = connect.error instanceof StoreError && connect.error.code === 'invalid' ? serviceErrorText(t, connect.error) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (hubUrl.trim() && code.trim() && workstationName.trim()) connect.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="connect-hub-title" className="subsection">
      <h3 id="connect-hub-title">{t('hub.connectTitle')}</h3>
      <p>{t('hub.connectIntro')}</p>
      <dl className="facts">
        <dt>{t('hub.clinicId')}</dt>
        <dd className="mono-text" data-testid="clinic-id">
          {clinicId}
        </dd>
      </dl>
      <Field label={t('join.hubUrl')} help={t('join.hubUrlHelp')} error={touched && !hubUrl.trim() ? t('join.hubUrlRequired') : undefined} value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} type="url" inputMode="url" maxLength={500} autoComplete="url" spellCheck={false} />
      <Field label={t('join.code')} help={t('hub.connectCodeHelp')} error={touched && !code.trim() ? t('join.codeRequired') : codeError} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} className="code-input" />
      {/* Named as at enrollment from the setup screen, so the hub's list tells workstations apart. */}
      <Field label={t('join.workstationName')} help={t('join.workstationNameHelp')} error={touched && !workstationName.trim() ? t('join.nameRequired') : undefined} value={workstationName} onChange={(e) => setWorkstationName(e.target.value)} maxLength={100} autoComplete="off" />
      <button type="submit" disabled={connect.isPending}>
        {connect.isPending ? t('hub.connecting') : t('hub.connect')}
      </button>
      <p role="alert" className="error">
        {connect.isError && !codeError && serviceErrorText(t, connect.error)}
      </p>
    </form>
  );
}
