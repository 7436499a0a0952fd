import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/ApiContext';
import { errorText } from '../errors';

export function HomePage() {
  const { t } = useTranslation();
  const api = useApi();
  const check = useMutation({
    mutationFn: async () => {
      const started = performance.now();
      const nonce = crypto.randomUUID();
      const answer = await api.call('system.ping', { nonce });
      if (answer.nonce !== nonce) throw new Error('ping answered another request');
      return Math.max(1, Math.round(performance.now() - started));
    },
  });
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <button type="button" onClick={() => check.mutate()} disabled={check.isPending}>
        {check.isPending ? t('home.checking') : t('home.check')}
      </button>
      <p role="status" aria-live="polite" data-testid="ping-result">
        {check.isSuccess && t('home.checkOk', { ms: check.data })}
        {check.isError && <span className="error">{errorText(t, check.error)}</span>}
      </p>
    </section>
  );
}
