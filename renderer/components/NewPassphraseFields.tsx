import { useTranslation } from 'react-i18next';
import { Field } from './Field';

export interface NewPassphrase {
  passphrase: string;
  again: string;
}

export const emptyNewPassphrase: NewPassphrase = { passphrase: '', again: '' };

/** Both fields say the same: a mistyped new passphrase would lock its owner out. */
export const passphrasesMatch = (value: NewPassphrase) => value.passphrase === value.again;

/**
 * A new passphrase and the same again, wherever one is set. `checked`: the
 * form was submitted once, so a mismatch is shown (not while still typing).
 * `error`: what is wrong with the passphrase itself (missing, too short).
 */
export function NewPassphraseFields({ label, help, error, value, onChange, checked }: { label: string; help?: string; error?: string | undefined; value: NewPassphrase; onChange: (next: NewPassphrase) => void; checked: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={label} help={help} error={error} type="password" value={value.passphrase} onChange={(e) => onChange({ ...value, passphrase: e.target.value })} autoComplete="new-password" />
      <Field
        label={t('passphrase.again', { label })}
        error={checked && !passphrasesMatch(value) ? t('setup.mismatch') : undefined}
        type="password"
        value={value.again}
        onChange={(e) => onChange({ ...value, again: e.target.value })}
        autoComplete="new-password"
      />
    </>
  );
}
