import { can, type Permission, type Role } from '../../app/auth/roles';

/**
 * Which permission each page needs, by its first path segment. The store's
 * services refuse the work itself (app/auth/roles.ts); this only decides what
 * the screen shows: the page, or that it is not available for this role.
 * Pages not listed (the account page, settings, which guards its own parts,
 * and unknown paths) need an unlocked session only.
 */
const pagePermissions: Readonly<Record<string, Permission>> = {
  patients: 'patient.read',
  conflicts: 'patient.read',
  staff: 'staff.manage',
  audit: 'audit.read',
  export: 'export.run',
  import: 'import.run',
  odh: 'odh.contribute',
};

export function pagePermission(pathname: string): Permission | undefined {
  const first = pathname.split('/').find((part) => part !== '') ?? '';
  return Object.hasOwn(pagePermissions, first) ? pagePermissions[first] : undefined;
}

/** Whether `role` may open the page at `pathname`. */
export function mayOpen(role: Role, pathname: string): boolean {
  const permission = pagePermission(pathname);
  return permission === undefined || can(role, permission);
}

/** Where a person lands after unlocking: the page they were on if their role allows it, else the patient list. */
export function pageAfterUnlock(role: Role, pathname: string): string | undefined {
  return mayOpen(role, pathname) ? undefined : '/patients';
}
