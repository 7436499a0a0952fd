import { describe, expect, it } from 'vitest';
import { usernamePattern } from '../../../app/auth/staff-input';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';

describe('the user-name hint', () => {
  it('describes the rule the keyring applies, in both languages', () => {
    // The rule: 3 to 32 of a-z, digits, dot, dash, underscore.
    expect(usernamePattern.source).toBe('^[a-z0-9._-]{3,32}$');
    expect(en.setup.usernameHelp).toMatch(/^3 to 32 characters: letters a to z, digits, dots, dashes or underscores/);
    expect(fr.setup.usernameHelp).toMatch(/^3 à 32 caractères : lettres de a à z, chiffres, points, tirets ou tirets bas/);
    expect(en.validation.staff.usernameInvalid).toContain('letters a to z, digits, dots, dashes or underscores');
    expect(fr.validation.staff.usernameInvalid).toContain('lettres de a à z, chiffres, points, tirets ou tirets bas');
  });
});
