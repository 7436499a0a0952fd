import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../app/auth/roles';
import { newStaffFieldsSchema, staffFieldErrors } from '../../../app/auth/staff-input';
import { Field } from '../../components/Field';
import { useSubmitErrors } from '../../components/use-submit-errors';
import { emptyNewPassphrase, NewPassphraseFields, passphrasesMatch, type NewPassphrase } from '../../components/NewPassphraseFields';
import { errorText } from '../../errors';
import type { StaffSummary } from '../../../app/contract/data-api';
import { phiKey, useSession, useData } from '../../data-client/DataContext';
import { ResetPassphraseForm } from './ResetPassphraseForm';

const staffKey = [phiKey, 'staff'] as const;

/**
 * Admins add staff, change roles, reset passphrases and disable accounts; the
 * store refuses anyone else, and refuses an admin acting on their own account
 * or leaving the clinic without an active admin. The controls for those are
 * hidden here too, so nobody is offered what will be refused.
 */
export function StaffPage() {
  const { t } = useTranslation();
  const data = useData();
  const session = useSession();
  const queryClient = useQueryClient();
  const [resetting, setResetting] = useState<StaffSummary>();
  const staff = useQuery({ queryKey: staffKey, queryFn: () => data.call('staff.list', {}) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: staffKey });
  const toggle = useMutation({
    mutationFn: ({ id, disabled }: { id: string; disabled: boolean }) => data.call('staff.setDisabled', { userId: id, disabled }),
    onSettled: refresh,
  });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => data.call('staff.setRole', { userId: id, role }),
    onSettled: refresh,
  });
  const activeAdmins = staff.data?.filter((s) => s.role === 'admin' && !s.disabled).length ?? 0;
  /** The clinic's one remaining active admin: not to be disabled or demoted. */
  const lastAdmin = (person: StaffSummary) => person.role === 'admin' && !person.disabled && activeAdmins <= 1;

  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      {staff.isError && <p className="error">{errorText(t, staff.error)}</p>}
      {staff.data && (
        <table className="table" data-testid="staff-list">
          <thead>
            <tr>
              <th>{t('staff.displayName')}</th>
              <th>{t('staff.username')}</th>
              <th>{t('staff.role')}</th>
              <th>{t('staff.status')}</th>
              <th>{t('staff.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((person) => {
              const self = person.id === session.userId;
              const fixed = self || lastAdmin(person);
              return (
                <tr key={person.id}>
                  <td>{person.displayName}</td>
                  <td>{person.username}</td>
                  <td>
                    {fixed ? (
                      t(`roles.${person.role}`)
                    ) : (
                      <select
                        aria-label={t('staff.roleOf', { name: person.displayName })}
                        value={person.role}
                        disabled={setRole.isPending}
                        onChange={(e) => setRole.mutate({ id: person.id, role: e.target.value as Role })}
                      >
                        {roles.map((role) => (
                          <option key={role} value={role}>
                            {t(`roles.${role}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>
                    {person.disabled ? t('staff.disabled') : t('staff.active')}
                    {person.mustChangePassphrase && ` · ${t('staff.mustChange')}`}
                    {self && ` · ${t('staff.you')}`}
                  </td>
                  <td className="actions">
                    {!self && (
                      <button type="button" className="secondary" onClick={() => setResetting(person)}>
                        {t('staff.reset')}
                      </button>
                    )}
                    {!fixed && (
                      <button type="button" className="secondary" onClick={() => toggle.mutate({ id: person.id, disabled: !person.disabled })}>
                        {person.disabled ? t('staff.enable') : t('staff.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {toggle.isError && <p className="error">{errorText(t, toggle.error)}</p>}
      {setRole.isError && <p className="error">{errorText(t, setRole.error)}</p>}
      {resetting && <ResetPassphraseForm key={resetting.id} person={resetting} onClose={() => setResetting(undefined)} onReset={refresh} />}
      <AddStaffForm onAdded={refresh} />
    </section>
  );
}

function AddStaffForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation();
  const data = useData();
  const empty = { displayName: '', username: '', role: 'nurse' as Role };
  const [form, setForm] = useState<{ displayName: string; username: string; role: Role }>(empty);
  const [passphrase, setPassphrase] = useState<NewPassphrase>(emptyNewPassphrase);
  const [checked, setChecked] = useState(false);
  const add = useMutation({
    mutationFn: () => data.call('staff.add', { ...form, passphrase: passphrase.passphrase }),
    onSuccess: () => {
      setForm(empty);
      setPassphrase(emptyNewPassphrase);
      setChecked(false);
      onAdded();
    },
  });
  const fieldErrors = useSubmitErrors();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    const valid = fieldErrors.check(staffFieldErrors(newStaffFieldsSchema, { ...form, passphrase: passphrase.passphrase }));
    if (valid && passphrasesMatch(passphrase)) add.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="add-staff-title">
      <h2 id="add-staff-title">{t('staff.add')}</h2>
      <div className="grid-2">
        <Field
          label={t('staff.displayName')}
          error={fieldErrors.message(t, 'displayName')}
          value={form.displayName}
          onChange={(e) => {
            setForm({ ...form, displayName: e.target.value });
            fieldErrors.clear('displayName');
          }}
          autoComplete="off"
        />
        <Field
          label={t('staff.username')}
          help={t('setup.usernameHelp')}
          error={fieldErrors.message(t, 'username')}
          value={form.username}
          onChange={(e) => {
            setForm({ ...form, username: e.target.value });
            fieldErrors.clear('username');
          }}
          autoComplete="off"
        />
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
        <NewPassphraseFields
          label={t('staff.passphrase')}
          help={t('staff.passphraseHelp')}
          error={fieldErrors.message(t, 'passphrase')}
          value={passphrase}
          onChange={(next) => {
            setPassphrase(next);
            fieldErrors.clear('passphrase');
          }}
          checked={checked}
        />
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
