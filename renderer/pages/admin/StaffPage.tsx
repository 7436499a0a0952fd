import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../app/auth/roles';
import { Field } from '../../components/Field';
import { errorText } from '../../errors';
import { phiKey, useVault } from '../../vault/VaultContext';

const staffKey = [phiKey, 'staff'] as const;

/** Admins add staff and disable accounts; the store refuses anyone else. */
export function StaffPage() {
  const { t } = useTranslation();
  const vault = useVault();
  const queryClient = useQueryClient();
  const staff = useQuery({ queryKey: staffKey, queryFn: () => vault.keyring.listStaff() });
  const toggle = useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) => vault.keyring.setDisabled(id, disabled),
    onSettled: () => queryClient.invalidateQueries({ queryKey: staffKey }),
  });

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      {staff.isError && <p className="error">{errorText(t, staff.error)}</p>}
      {staff.data && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('staff.displayName')}</th>
              <th>{t('staff.username')}</th>
              <th>{t('staff.role')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {staff.data.map((person) => (
              <tr key={person.id}>
                <td>{person.displayName}</td>
                <td>{person.username}</td>
                <td>
                  {t(`roles.${person.role}`)}
                  {person.disabled && ` · ${t('staff.disabled')}`}
                </td>
                <td>
                  <button type="button" className="secondary" onClick={() => toggle.mutate({ id: person.id, disabled: !person.disabled })}>
                    {person.disabled ? t('staff.enable') : t('staff.disable')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {toggle.isError && <p className="error">{errorText(t, toggle.error)}</p>}
      <AddStaffForm onAdded={() => void queryClient.invalidateQueries({ queryKey: staffKey })} />
    </section>
  );
}

function AddStaffForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const vault = useVault();
  const [form, setForm] = useState<{ displayName: string; username: string; role: Role; passphrase: string }>({ displayName: '', username: '', role: 'nurse', passphrase: '' });
  const add = useMutation({
    mutationFn: () => vault.keyring.addStaff(form),
    onSuccess: () => {
      setForm({ displayName: '', username: '', role: 'nurse', passphrase: '' });
      onAdded();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="add-staff-title">
      <h2 id="add-staff-title">{t('staff.add')}</h2>
      <div className="grid-2">
        <Field label={t('staff.displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} autoComplete="off" />
        <Field label={t('staff.username')} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} autoComplete="off" />
        <div className="field">
          <label htmlFor="new-staff-role">{t('staff.role')}</label>
          <select id="new-staff-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <Field label={t('staff.passphrase')} help={t('staff.passphraseHelp')} type="password" value={form.passphrase} onChange={(e) => setForm({ ...form, passphrase: e.target.value })} autoComplete="new-password" />
      </div>
      <button type="submit" disabled={add.isPending}>
        {t('staff.create')}
      </button>
      <p role="status" className={add.isError ? 'error' : undefined}>
        {add.isSuccess && t('staff.added')}
        {add.isError && errorText(t, add.error)}
      </p>
    </form>
  );
}
