import { describe, expect, it } from 'vitest';
import { mayOpen, pageAfterUnlock, pagePermission } from './page-access';

describe('page access', () => {
  it('asks for the permission the page’s own service checks', () => {
    expect(pagePermission('/patients/abc/capture')).toBe('patient.read');
    expect(pagePermission('/audit')).toBe('audit.read');
    expect(pagePermission('/staff/')).toBe('staff.manage');
    expect(pagePermission('/account')).toBeUndefined();
    expect(pagePermission('/no-such-page')).toBeUndefined();
    // Inherited object keys are not pages.
    expect(pagePermission('/constructor')).toBeUndefined();
  });

  it('keeps a nurse out of the admin pages and lets her work with patients', () => {
    expect(mayOpen('nurse', '/audit')).toBe(false);
    expect(mayOpen('nurse', '/staff')).toBe(false);
    expect(mayOpen('nurse', '/patients/new')).toBe(true);
    expect(mayOpen('admin', '/audit')).toBe(true);
  });

  it('returns a person to the page they were on after unlock, or to Patients when their role may not use it', () => {
    expect(pageAfterUnlock('nurse', '/patients/p-1')).toBeUndefined();
    expect(pageAfterUnlock('nurse', '/audit')).toBe('/patients');
    expect(pageAfterUnlock('admin', '/audit')).toBeUndefined();
  });
});
