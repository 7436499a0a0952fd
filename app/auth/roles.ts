/**
 * Who may do what: every access rule of the workstation lives in this one
 * module, with its own tests, so a reviewer reads the whole policy in one
 * place and a change to it shows up as a change to this file and its matrix
 * test. Services call `requirePermission` before acting; the UI may call `can`
 * to hide controls, but hiding is a convenience, never the check.
 */

export const roles = ['admin', 'clinician', 'nurse'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'patient.read',
  'patient.write',
  'observation.write',
  /** Add or disable staff accounts, reset their passphrases. */
  'staff.manage',
  'audit.read',
  'settings.manage',
  /** The clinic settings record every workstation follows: idle lock, date order, glucose unit, NEWS2 and glucometer windows. */
  'clinicSettings.manage',
  'export.run',
  /** Bring another system's FHIR (or our own export) into the store: it writes patients in bulk, so the administrator's, like exports. */
  'import.run',
  /** Send consenting patients' de-identified records to the Open Data Hub, and withdrawal notices: data leaves the clinic, like an export. */
  'odh.contribute',
  /** Record what the clinic learnt of a facility in the shared directory ("no oxygen this week"): every referral from the clinic goes by it. */
  'facilities.override',
  /** Refer a patient to another facility and record how the referral went: the nurse at the bedside decides, so every clinical role. */
  'referral.write',
  'conflict.resolve',
  /**
   * Review versions of records that arrived from the hub and could not be
   * opened (possibly altered, or written without the clinic key), which the
   * workstation kept aside: a question of the clinic's data integrity, so
   * the administrator's, like the audit log.
   */
  'sync.review',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * The policy. Deny by default: a permission not listed for a role is refused.
 * Typed as a full record over `Role`, so adding a role without deciding its
 * permissions is a type error rather than a silent "no access".
 */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  // The clinic administrator runs the workstation: staff accounts, settings
  // (the workstation's and the clinic-wide record every workstation follows),
  // the audit log, and exports (which take PHI off the machine in bulk, so
  // they are kept to the one role accountable for where the data goes).
  admin: [...permissions],
  // Clinicians see and record care. They also resolve sync conflicts, because
  // choosing between two versions of a patient record is a clinical judgement.
  // No export: bulk PHI leaving the workstation is an administrative decision.
  clinician: ['patient.read', 'patient.write', 'observation.write', 'referral.write', 'conflict.resolve'],
  // Nurses register patients at intake (hence patient.write) and record
  // vitals. They do not resolve conflicts (a clinician decides between record
  // versions), manage staff, read the audit log, change settings (the
  // workstation's or the clinic's) or export.
  nurse: ['patient.read', 'patient.write', 'observation.write', 'referral.write'],
};

export function can(role: Role, permission: Permission): boolean {
  // Roles arrive from stored staff records; an unknown one (a typo, a role
  // from a newer version) gets nothing rather than a crash or a guess.
  return Object.hasOwn(rolePermissions, role) && rolePermissions[role].includes(permission);
}

/**
 * What the refused person is told, per permission. Plain words for clinic
 * staff; only the role and the permission may appear, never patient data,
 * because these messages reach the screen and support logs.
 */
const deniedAction: Record<Permission, string> = {
  'patient.read': 'open patient records',
  'patient.write': 'register or change patient records',
  'observation.write': 'record observations',
  'staff.manage': 'manage staff accounts',
  'audit.read': 'read the audit log',
  'settings.manage': 'change workstation settings',
  'clinicSettings.manage': 'change the clinic settings',
  'export.run': 'export patient data',
  'import.run': 'import patient data',
  'odh.contribute': 'contribute to the Open Data Hub',
  'facilities.override': 'record what the clinic knows of a facility',
  'referral.write': 'refer patients or record how a referral went',
  'conflict.resolve': 'resolve conflicting record versions',
  'sync.review': 'review records from the hub that could not be opened',
};

export type AccessDeniedReason = 'not-permitted' | 'disabled';

export class AccessDeniedError extends Error {
  readonly code = 'forbidden';
  readonly role: Role;
  readonly permission: Permission;
  readonly reason: AccessDeniedReason;

  constructor(role: Role, permission: Permission, reason: AccessDeniedReason) {
    super(
      reason === 'disabled'
        ? 'Your account is disabled. Ask a clinic administrator.'
        : `Your account (${role}) is not allowed to ${deniedAction[permission]}. Ask a clinic administrator.`,
    );
    this.name = 'AccessDeniedError';
    this.role = role;
    this.permission = permission;
    this.reason = reason;
  }
}

export interface Actor {
  role: Role;
  /** A disabled account keeps its role (for the audit trail) but may do nothing. */
  disabled: boolean;
}

/** Throws `AccessDeniedError` unless `actor` may use `permission`. */
export function requirePermission(actor: Actor, permission: Permission): void {
  // Checked first so a disabled admin is refused even what admins may do.
  // `!== false` rather than truthiness: a record missing the flag fails closed.
  if (actor.disabled !== false) throw new AccessDeniedError(actor.role, permission, 'disabled');
  if (!can(actor.role, permission)) throw new AccessDeniedError(actor.role, permission, 'not-permitted');
}
