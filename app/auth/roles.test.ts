import { describe, expect, it } from 'vitest';
import { AccessDeniedError, can, permissions, requirePermission, roles, type Permission, type Role } from './roles';

/**
 * The policy written out a second time, by hand, as the specification: a
 * change to roles.ts that is not also made here fails, so no permission is
 * granted or withdrawn by accident.
 */
const expected: Record<Role, Record<Permission, boolean>> = {
  admin: {
    'patient.read': true,
    'patient.write': true,
    'observation.write': true,
    'staff.manage': true,
    'audit.read': true,
    'settings.manage': true,
    'clinicSettings.manage': true,
    'export.run': true,
    'import.run': true,
    'odh.contribute': true,
    'facilities.override': true,
    'referral.write': true,
    'conflict.resolve': true,
    'sync.review': true,
  },
  clinician: {
    'patient.read': true,
    'patient.write': true,
    'observation.write': true,
    'staff.manage': false,
    'audit.read': false,
    'settings.manage': false,
    'clinicSettings.manage': false,
    'export.run': false,
    'import.run': false,
    'odh.contribute': false,
    'facilities.override': false,
    'referral.write': true,
    'conflict.resolve': true,
    'sync.review': false,
  },
  nurse: {
    'patient.read': true,
    'patient.write': true,
    'observation.write': true,
    'staff.manage': false,
    'audit.read': false,
    'settings.manage': false,
    'clinicSettings.manage': false,
    'export.run': false,
    'import.run': false,
    'odh.contribute': false,
    'facilities.override': false,
    'referral.write': true,
    'conflict.resolve': false,
    'sync.review': false,
  },
};

const matrix = roles.flatMap((role) => permissions.map((permission) => [role, permission, expected[role][permission]] as const));

describe('access policy', () => {
  it('covers exactly the declared roles and permissions', () => {
    expect(Object.keys(expected).sort()).toEqual([...roles].sort());
    for (const role of roles) expect(Object.keys(expected[role]).sort()).toEqual([...permissions].sort());
    expect(matrix).toHaveLength(roles.length * permissions.length);
  });

  it.each(matrix)('%s may %s: %s', (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
    const attempt = () => requirePermission({ role, disabled: false }, permission);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(AccessDeniedError);
  });

  it.each(matrix)('a disabled %s is refused %s', (role, permission) => {
    const error = catchError(() => requirePermission({ role, disabled: true }, permission));
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: 'forbidden', reason: 'disabled', role, permission });
  });

  it('refuses an actor whose disabled flag is missing from a stored record', () => {
    const stored = JSON.parse('{"role":"admin"}') as { role: Role; disabled: boolean };
    expect(() => requirePermission(stored, 'patient.read')).toThrow(AccessDeniedError);
  });

  it('grants nothing to a role it does not know', () => {
    const unknown = 'superuser' as Role;
    for (const permission of permissions) expect(can(unknown, permission)).toBe(false);
    expect(() => requirePermission({ role: unknown, disabled: false }, 'patient.read')).toThrow(AccessDeniedError);
  });

  it('keeps a nurse out of staff management and the audit log, in plain words', () => {
    const staff = catchError(() => requirePermission({ role: 'nurse', disabled: false }, 'staff.manage'));
    const audit = catchError(() => requirePermission({ role: 'nurse', disabled: false }, 'audit.read'));
    expect(staff).toMatchObject({ name: 'AccessDeniedError', code: 'forbidden', reason: 'not-permitted' });
    expect(audit).toMatchObject({
      code: 'forbidden',
      message: 'Your account (nurse) is not allowed to read the audit log. Ask a clinic administrator.',
    });
  });

  it('has a distinct message for every permission', () => {
    const refusals = permissions.map((permission) => new AccessDeniedError('nurse', permission, 'not-permitted').message);
    expect(new Set(refusals).size).toBe(permissions.length);
  });
});

function catchError(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
