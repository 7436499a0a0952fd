import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { Field } from '../../components/Field';
import { serviceErrorText } from '../../errors';
import { StoreError } from '../../store/store-error';
import { useData } from '../../data-client/DataContext';
import type { HubIds } from './ClinicSetupForm';

type Fields = { hubUrl: string; code: string; workstationName: string };
const required: Record<keyof Fields, string> = { hubUrl: 'join.hubUrlRequired', code: 'join.codeRequired', workstationName: 'join.nameRequired' };

/**
 * A new workstation joins its clinic through the hub with a one-time code.
 * A code made on a workstation of the clinic brings the clinic here (the
 * vault locks, staff log in once their accounts arrive); a code from the
 * hub's administrator is for the clinic's first workstation, which then sets
 * the clinic up (`onNeedsSetup`).
 */
export function JoinHubForm({ onNeedsSetup, onCancel }: { onNeedsSetup: (ids: HubIds) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const data = useData();
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Fields>({ hubUrl: '', code: '', workstationName: '' });
  const [touched, setTouched] = useState(false);
  const join = useMutation({
    mutationFn: async () => {
      const outcome = await data.call('hub.join', { hubUrl: form.hubUrl.trim(), code: form.code, workstationName: form.workstationName.trim() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.hubStatus });
      if (outcome === 'joined') return; // the vault is locked now: the lock screen takes over
      const link = await api.call('hub.status', {});
      if (link.linked) onNeedsSetup({ clinicId: link.clinicId, workstationId: link.workstationId });
    },
  });
  const missing = (key: keyof Fields) => (touched && !form[key].trim() ? t(required[key]) : undefined);
  const codeError = join.error instanceof StoreError && join.error.code === 'invalid' ? serviceErrorText(t, join.error) : undefined;
  const set = (key: keyof Fields) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(form).every((value) => value.trim())) join.mutate();
  };
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="join-title">
      <h1 id="join-title">{t('join.title')}</h1>
      <p>{t('join.intro')}</p>
      <Field label={t('join.hubUrl')} help={t('join.hubUrlHelp')} error={missing('hubUrl')} value={form.hubUrl} onChange={set('hubUrl')} type="url" inputMode="url" maxLength={500} required autoFocus autoComplete="url" spellCheck={false} />
      <Field label={t('join.code')} help={t('join.codeHelp')} error={missing('code') ?? codeError} value={form.code} onChange={set('code')} required autoComplete="off" spellCheck={false} className="code-input" />
      <Field label={t('join.workstationName')} help={t('join.workstationNameHelp')} error={missing('workstationName')} value={form.workstationName} onChange={set('workstationName')} maxLength={100} required autoComplete="off" />
      <button type="submit" disabled={join.isPending}>
        {join.isPending ? t('join.joining') : t('join.submit')}
      </button>
      <p role="alert" className="error" data-testid="join-error">
        {join.isError && !codeError && serviceErrorText(t, join.error)}
      </p>
      <button type="button" className="link" onClick={onCancel}>
        {t('join.setUpInstead')}
      </button>
    </form>
  );
}
