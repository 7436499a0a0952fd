import { describe, expect, it } from 'vitest';
import { canonicalUsername, clinicSetupFieldsSchema, loginFieldsSchema, newStaffFieldsSchema, recoveryFieldsSchema, staffFieldErrors, staffValidationKeys as keys, usernamePattern } from './staff-input';

describe('staff form fields', () => {
  it('marks every field of an empty setup form, each with its own message', () => {
    expect(staffFieldErrors(clinicSetupFieldsSchema, { clinicName: '', displayName: ' ', username: '', passphrase: '' })).toEqual({
      clinicName: keys.clinicNameRequired,
      displayName: keys.displayNameRequired,
      username: keys.usernameRequired,
      passphrase: keys.passphraseRequired,
    });
  });

  it('marks every field of an empty staff, login or recovery form', () => {
    expect(Object.keys(staffFieldErrors(newStaffFieldsSchema, { displayName: '', username: '', passphrase: '' })).sort()).toEqual(['displayName', 'passphrase', 'username']);
    expect(staffFieldErrors(loginFieldsSchema, { username: '  ', passphrase: '' })).toEqual({ username: keys.usernameRequired, passphrase: keys.passphraseRequired });
    expect(staffFieldErrors(recoveryFieldsSchema, { recoveryKey: '', username: '', passphrase: '' })).toEqual({
      recoveryKey: keys.recoveryKeyRequired,
      username: keys.usernameRequired,
      passphrase: keys.passphraseRequired,
    });
  });

  it('accepts exactly the user names its hint describes: 3 to 32 of a-z, digits, dots, dashes, underscores', () => {
    const valid = { displayName: 'Asha Mbeki', passphrase: 'tide pools at dawn' };
    for (const username of ['asha', 'a.mbeki', 'nurse-2', 'dr_phiri', ' ASHA ', 'abc', 'a'.repeat(32)]) {
      expect(staffFieldErrors(newStaffFieldsSchema, { ...valid, username }), username).toEqual({});
    }
    for (const username of ['as', 'a'.repeat(33), 'asha mbeki', 'ásha', 'asha@clinic', 'asha/1']) {
      expect(staffFieldErrors(newStaffFieldsSchema, { ...valid, username }).username, username).toBe(keys.usernameInvalid);
    }
    expect(canonicalUsername(' ASHA ')).toBe('asha');
    expect(usernamePattern.test('asha')).toBe(true);
  });

  it('asks for at least 10 characters in a new passphrase, spaces counted', () => {
    const valid = { displayName: 'Asha', username: 'asha' };
    expect(staffFieldErrors(newStaffFieldsSchema, { ...valid, passphrase: 'short one' }).passphrase).toBe(keys.passphraseTooShort);
    expect(staffFieldErrors(newStaffFieldsSchema, { ...valid, passphrase: 'ten chars!' })).toEqual({});
  });

  it('never quotes what was typed', () => {
    const errors = staffFieldErrors(clinicSetupFieldsSchema, { clinicName: 'X', displayName: 'Secretname'.repeat(20), username: 'Secret user', passphrase: 'Secret' });
    expect(JSON.stringify(errors)).not.toMatch(/secret/i);
    for (const key of Object.values(errors)) expect(Object.values(keys)).toContain(key);
  });
});
