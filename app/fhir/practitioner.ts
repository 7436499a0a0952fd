import type { Location, Organization, Practitioner, PractitionerRole, Reference } from '@medplum/fhirtypes';
import type { Role } from '../auth/roles';
import type { StaffSummary } from '../contract/data-api';
import { derivedId, fhirIdFor, requireFhirId } from './ids';
import { STAFF_ID, STAFF_ROLE } from './systems';

/**
 * A staff member as a Practitioner (the person, whom readings and audit
 * entries name as performer and agent) and a PractitionerRole (what they do
 * at this clinic). Built from the staff summary the screens see, field by
 * field: nothing of the stored account (its key wrap, salt, sealed claims)
 * can reach an export, and neither can the user name, which is half of a
 * login.
 */

/** Only the fields an export may carry: a wider object passed in (a stored account) contributes nothing else. */
export type StaffForExport = Pick<StaffSummary, 'id' | 'displayName' | 'role' | 'disabled'>;

const roleDisplay: Readonly<Record<Role, string>> = {
  admin: 'Clinic administrator',
  clinician: 'Clinician',
  nurse: 'Nurse',
};

/** The store id when FHIR allows it (readings and audit entries refer to it, and theirs are always valid). */
export function practitionerIdOf(staff: Pick<StaffSummary, 'id'>): Promise<string> {
  return fhirIdFor('user', staff.id);
}

/** One role per person per clinic, so its id comes from the person's. */
export function practitionerRoleIdOf(staff: Pick<StaffSummary, 'id'>): Promise<string> {
  return derivedId('role', staff.id);
}

export function toFhirPractitioner(staff: StaffForExport, context: { id?: string | undefined } = {}): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: requireFhirId(context.id ?? staff.id, 'staff id'),
    identifier: [{ system: STAFF_ID, value: staff.id }],
    // A disabled account's person stays, so old readings still name them; they no longer act.
    active: !staff.disabled,
    // One display name as the clinic wrote it; splitting it would guess which part is the family name.
    name: [{ text: staff.displayName }],
  };
}

export interface PractitionerRoleContext {
  id: string;
  practitioner: Reference<Practitioner>;
  organization: Reference<Organization>;
  location?: Reference<Location> | undefined;
}

export function toFhirPractitionerRole(staff: StaffForExport, context: PractitionerRoleContext): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: requireFhirId(context.id, 'practitioner role id'),
    active: !staff.disabled,
    practitioner: context.practitioner,
    organization: context.organization,
    // The workstation's access roles, in our own system: none of FHIR's role codes says "clinic administrator".
    code: [{ coding: [{ system: STAFF_ROLE, code: staff.role, display: roleDisplay[staff.role] }], text: roleDisplay[staff.role] }],
    ...(context.location === undefined ? {} : { location: [context.location] }),
  };
}
