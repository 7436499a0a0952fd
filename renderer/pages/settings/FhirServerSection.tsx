import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { fhirServerAuthKinds, type FhirServerAuthKind, type FhirServerInput } from '../../../app/contract/fhir-server';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { Field } from '../../components/Field';
import { useVaultState } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';

/**
 * The FHIR server an admin pushes the clinic's records to (the export page's
 * "Send to the FHIR server"). The workstation service keeps it, with its
 * password or token, in its own file; this page never gets a secret back,
 * so changing the server means entering the secret again. "Check the
 * server" asks it for its CapabilityStatement with the saved credentials.
 */
export function FhirServerSection() {
  const { t } = useTranslation();
  const state = useVaultState();
  const admin = state.status === 'unlocked' && can(state.session.role, 'export.run');
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const server = useQuery({ queryKey: queryKeys.fhirServer, queryFn: () => api.call('fhirServer.get', {}), enabled: connected && admin });
  const check = useMutation({ mutationFn: () => api.call('fhirServer.test', {}) });
  if (!admin) return null;
  return (
    <section aria-labelledby="fhir-server-title" className="card">
      <h2 id="fhir-server-title">{t('fhirServer.title')}</h2>
      {server.data?.configured ? (
        <>
          <dl className="facts" data-testid="fhir-server">
            <dt>{t('fhirServer.baseUrl')}</dt>
            <dd className="mono-text">{server.data.baseUrl}</dd>
            <dt>{t('fhirServer.auth')}</dt>
            <dd>
              {t(`fhirServer.authKinds.${server.data.auth}`)}
              {server.data.username ? ` (${server.data.username})` : ''}
              {server.data.clientId ? ` (${t('fhirServer.clientId')}: ${server.data.clientId}, ${server.data.scope ?? ''})` : ''}
            </dd>
          </dl>
          {server.data.jwks && (
            <div className="subsection">
              <p>{t('fhirServer.registerKey')}</p>
              <pre className="mono-text" data-testid="fhir-server-jwks">
                {JSON.stringify(server.data.jwks, null, 2)}
              </pre>
            </div>
          )}
          <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
            {t('fhirServer.check')}
          </button>
          <p role="status" aria-live="polite" data-testid="fhir-server-check">
            {check.isSuccess && t('fhirServer.checked', { version: check.data.fhirVersion, software: check.data.software ?? t('fhirServer.unnamed') })}
            {check.isError && <span className="error">{serviceErrorText(t, check.error)}</span>}
          </p>
        </>
      ) : (
        <p>{t('fhirServer.none')}</p>
      )}
      <FhirServerForm onSaved={() => check.reset()} />
    </section>
  );
}

function FhirServerForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [baseUrl, setBaseUrl] = useState('');
  const [auth, setAuth] = useState<FhirServerAuthKind>('none');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [clientId, setClientId] = useState('');
  const [scope, setScope] = useState('system/*.write');
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: (input: FhirServerInput) => api.call('fhirServer.set', input),
    onSuccess: (summary) => {
      queryClient.setQueryData(queryKeys.fhirServer, summary);
      setSecret('');
      onSaved();
    },
  });
  const input = (): FhirServerInput | undefined => {
    const url = baseUrl.trim();
    if (!isWebAddress(url)) return undefined;
    if (auth === 'none') return { baseUrl: url, auth };
    if (auth === 'smart') return clientId.trim() && scope.trim() ? { baseUrl: url, auth, clientId: clientId.trim(), scope: scope.trim() } : undefined;
    if (!secret) return undefined;
    if (auth === 'bearer') return { baseUrl: url, auth, token: secret };
    return username.trim() ? { baseUrl: url, auth, username: username.trim(), password: secret } : undefined;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const ready = input();
    if (ready) save.mutate(ready);
  };
  const urlProblem = touched && !isWebAddress(baseUrl.trim()) ? t('fhirServer.urlRequired') : undefined;
  return (
    <form onSubmit={submit} noValidate className="subsection" aria-labelledby="fhir-server-form-title">
      <h3 id="fhir-server-form-title">{t('fhirServer.set')}</h3>
      <Field label={t('fhirServer.baseUrl')} help={t('fhirServer.baseUrlHelp')} error={urlProblem} value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} type="url" inputMode="url" maxLength={500} spellCheck={false} />
      <fieldset className="choice-list">
        <legend>{t('fhirServer.auth')}</legend>
        {fhirServerAuthKinds.map((kind) => (
          <label key={kind}>
            <input type="radio" name="fhir-server-auth" value={kind} checked={auth === kind} onChange={() => setAuth(kind)} />
            {t(`fhirServer.authKinds.${kind}`)}
          </label>
        ))}
      </fieldset>
      {auth === 'basic' && <Field label={t('fhirServer.username')} error={touched && !username.trim() ? t('fhirServer.usernameRequired') : undefined} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" maxLength={200} />}
      {auth === 'smart' && (
        <>
          <Field label={t('fhirServer.clientId')} help={t('fhirServer.clientIdHelp')} error={touched && !clientId.trim() ? t('fhirServer.clientIdRequired') : undefined} value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" maxLength={200} spellCheck={false} />
          <Field label={t('fhirServer.scope')} help={t('fhirServer.scopeHelp')} value={scope} onChange={(e) => setScope(e.target.value)} autoComplete="off" maxLength={500} spellCheck={false} />
        </>
      )}
      {(auth === 'basic' || auth === 'bearer') && (
        <Field label={t(auth === 'basic' ? 'fhirServer.password' : 'fhirServer.token')} error={touched && !secret ? t('fhirServer.secretRequired') : undefined} value={secret} onChange={(e) => setSecret(e.target.value)} type="password" autoComplete="new-password" maxLength={4096} />
      )}
      <button type="submit" disabled={save.isPending}>
        {t('fhirServer.save')}
      </button>
      <p role="alert" className="error">
        {save.isError && serviceErrorText(t, save.error)}
      </p>
    </form>
  );
}

const isWebAddress = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
