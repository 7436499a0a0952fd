import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { hl7EndpointInputSchema, type Hl7EndpointInput } from '../../../app/contract/hl7-endpoint';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { Field } from '../../components/Field';
import { useVaultState } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';

/**
 * The lab or EHR endpoint that takes visits' results as HL7 v2 over MLLP (the
 * export page's "HL7 v2 results to the lab"): its host and port, and the
 * receiving application and facility its operator gave. "Check the
 * connection" opens an MLLP connection and closes it.
 */
export function Hl7EndpointSection() {
  const { t } = useTranslation();
  const state = useVaultState();
  const admin = state.status === 'unlocked' && can(state.session.role, 'export.run');
  const api = useApi();
  const queryClient = useQueryClient();
  const connected = useConnectionState() === 'connected';
  const endpoint = useQuery({ queryKey: queryKeys.hl7Endpoint, queryFn: () => api.call('hl7Endpoint.get', {}), enabled: connected && admin });
  const check = useMutation({ mutationFn: () => api.call('hl7Endpoint.test', {}) });
  const [host, setHost] = useState('');
  const [port, setPort] = useState('2575');
  const [application, setApplication] = useState('');
  const [facility, setFacility] = useState('');
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: (input: Hl7EndpointInput) => api.call('hl7Endpoint.set', input),
    onSuccess: (summary) => {
      queryClient.setQueryData(queryKeys.hl7Endpoint, summary);
      check.reset();
    },
  });
  if (!admin) return null;
  const candidate = { host: host.trim(), port: Number(port), receivingApplication: application.trim(), receivingFacility: facility.trim() };
  const parsed = hl7EndpointInputSchema.safeParse(candidate);
  const problem = (field: keyof typeof candidate, key: string) => (touched && !parsed.success && parsed.error.issues.some((issue) => issue.path[0] === field) ? t(key) : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (parsed.success) save.mutate(parsed.data);
  };
  return (
    <section aria-labelledby="hl7-endpoint-title" className="card">
      <h2 id="hl7-endpoint-title">{t('hl7Endpoint.title')}</h2>
      {endpoint.data?.configured ? (
        <>
          <dl className="facts" data-testid="hl7-endpoint">
            <dt>{t('hl7Endpoint.address')}</dt>
            <dd className="mono-text">{`${endpoint.data.host}:${endpoint.data.port}`}</dd>
            <dt>{t('hl7Endpoint.receiving')}</dt>
            <dd className="mono-text">{`${endpoint.data.receivingApplication} / ${endpoint.data.receivingFacility}`}</dd>
          </dl>
          <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
            {t('hl7Endpoint.check')}
          </button>
          <p role="status" aria-live="polite" data-testid="hl7-endpoint-check">
            {check.isSuccess && t('hl7Endpoint.checked')}
            {check.isError && <span className="error">{serviceErrorText(t, check.error)}</span>}
          </p>
        </>
      ) : (
        <p>{t('hl7Endpoint.none')}</p>
      )}
      <form onSubmit={submit} noValidate className="subsection" aria-labelledby="hl7-endpoint-form-title">
        <h3 id="hl7-endpoint-form-title">{t('hl7Endpoint.set')}</h3>
        <Field label={t('hl7Endpoint.host')} help={t('hl7Endpoint.hostHelp')} error={problem('host', 'hl7Endpoint.hostInvalid')} value={host} onChange={(e) => setHost(e.target.value)} maxLength={253} spellCheck={false} autoComplete="off" />
        <Field label={t('hl7Endpoint.port')} error={problem('port', 'hl7Endpoint.portInvalid')} value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" maxLength={5} />
        <Field label={t('hl7Endpoint.application')} help={t('hl7Endpoint.codeHelp')} error={problem('receivingApplication', 'hl7Endpoint.codeInvalid')} value={application} onChange={(e) => setApplication(e.target.value)} maxLength={60} spellCheck={false} autoComplete="off" />
        <Field label={t('hl7Endpoint.facility')} help={t('hl7Endpoint.codeHelp')} error={problem('receivingFacility', 'hl7Endpoint.codeInvalid')} value={facility} onChange={(e) => setFacility(e.target.value)} maxLength={60} spellCheck={false} autoComplete="off" />
        <button type="submit" disabled={save.isPending}>
          {t('hl7Endpoint.save')}
        </button>
        <p role="alert" className="error">
          {save.isError && serviceErrorText(t, save.error)}
        </p>
      </form>
    </section>
  );
}
