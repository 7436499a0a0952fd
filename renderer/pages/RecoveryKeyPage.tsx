import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { useData } from '../data-client/DataContext';

/** Shown after setup (and after every unlock until confirmed): the one time the recovery key is visible. */
export function RecoveryKeyPage({ recoveryKey, onDone }: { recoveryKey: string; onDone: () => void }) {
  const { t } = useTranslation();
  const data = useData();
  const [confirmed, setConfirmed] = useState(false);
  const confirm = useMutation({ mutationFn: () => data.call('vault.confirmRecoveryKeySaved', {}), onSuccess: onDone });
  return (
    <section className="card narrow" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{t('setup.recoveryTitle')}</h1>
      <p>{t('setup.recoveryIntro')}</p>
      <p className="recovery-key" data-testid="recovery-key">
        {recoveryKey}
      </p>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('setup.recoveryConfirm')}
      </label>
      <button type="button" disabled={!confirmed || confirm.isPending} onClick={() => confirm.mutate()}>
        {t('setup.continue')}
      </button>
      <p role="alert" className="error">
        {confirm.isError && errorText(t, confirm.error)}
      </p>
    </section>
  );
}
