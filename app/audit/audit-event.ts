import type { AuditEvent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import { z } from 'zod';
import { roles, type Role } from '../auth/roles';

/**
 * FHIR R4 AuditEvents for every PHI access and every security-relevant act.
 *
 * An audit record must itself hold no PHI beyond opaque ids: the log is kept
 * for years, read by administrators who may not see charts, and exported to
 * auditors. So people appear only as `Practitioner/<id>` and `Patient/<id>`
 * references, never with a display name, and `detail` carries counts or
 * codes, never free text such as a search query.
 */

export const DICOM_SYSTEM = 'http://dicom.nema.org/resources/ontology/DCM';
/** Our own subtype code system: what exactly happened, finer than DICOM's event ids. */
export const AUDIT_SUBTYPE_SYSTEM = 'urn:clinic-workstation:audit';

/** DICOM PS3.16 CID 400 audit event ids used by the workstation. */
const eventTypes = {
  patientRecord: { system: DICOM_SYSTEM, code: '110110', display: 'Patient Record' },
  export: { system: DICOM_SYSTEM, code: '110106', display: 'Export' },
  import: { system: DICOM_SYSTEM, code: '110107', display: 'Import' },
  userAuthentication: { system: DICOM_SYSTEM, code: '110114', display: 'User Authentication' },
  // Reading the audit log is itself audited, under DICOM's own event for it,
  // so "who looked at the log" is distinguishable from patient-record access.
  auditLogUsed: { system: DICOM_SYSTEM, code: '110101', display: 'Audit Log Used' },
  // DICOM files changes to user accounts and their security attributes under
  // Security Alert (PS3.15 A.5.3.11); no Patient Record or Authentication
  // event fits adding or disabling a staff member.
  securityAlert: { system: DICOM_SYSTEM, code: '110113', display: 'Security Alert' },
} as const satisfies Record<string, Coding>;

/** Who or what the event concerns besides the acting user. */
type Subject = 'patient' | 'optional-patient' | 'staff' | 'none';

/**
 * THE table: every audited kind with its FHIR action, DICOM event type and
 * which entity it needs. One row per kind so reviewing coverage is reading
 * one list.
 */
export const auditKinds = {
  'patient.create': { action: 'C', type: eventTypes.patientRecord, subject: 'patient' },
  'patient.read': { action: 'R', type: eventTypes.patientRecord, subject: 'patient' },
  'patient.update': { action: 'U', type: eventTypes.patientRecord, subject: 'patient' },
  // FHIR's action code for a query is E (execute), not R: a search reads no
  // one record. A patient id is given only when the search opened exactly one.
  'patient.search': { action: 'E', type: eventTypes.patientRecord, subject: 'optional-patient' },
  'observation.create': { action: 'C', type: eventTypes.patientRecord, subject: 'patient' },
  // Choosing between two synced versions rewrites the patient's record.
  'conflict.resolve': { action: 'U', type: eventTypes.patientRecord, subject: 'patient' },
  'audit.read': { action: 'R', type: eventTypes.auditLogUsed, subject: 'none' },
  'staff.create': { action: 'C', type: eventTypes.securityAlert, subject: 'staff' },
  'staff.disable': { action: 'U', type: eventTypes.securityAlert, subject: 'staff' },
  'staff.reset-passphrase': { action: 'U', type: eventTypes.securityAlert, subject: 'staff' },
  'staff.role-change': { action: 'U', type: eventTypes.securityAlert, subject: 'staff' },
  // DICOM's User Authentication event uses action E for log-in, log-out and
  // (by extension) locking the session.
  // A code that hands the clinic's data key to the next workstation to enroll.
  'workstation.enroll-code': { action: 'C', type: eventTypes.securityAlert, subject: 'none' },
  // The clinic settings include the idle lock, a security control: changing them is a security-relevant act.
  'clinic.settings-change': { action: 'U', type: eventTypes.securityAlert, subject: 'none' },
  // An administrator reviewed and dismissed a version from the hub that did not open (renderer/store/kept-aside.ts).
  'sync.arrival-dismiss': { action: 'D', type: eventTypes.securityAlert, subject: 'none' },
  'user.login': { action: 'E', type: eventTypes.userAuthentication, subject: 'none' },
  'user.login-failed': { action: 'E', type: eventTypes.userAuthentication, subject: 'none' },
  'user.logout': { action: 'E', type: eventTypes.userAuthentication, subject: 'none' },
  'user.lock': { action: 'E', type: eventTypes.userAuthentication, subject: 'none' },
  // DICOM's Export event uses action R: data is read out of the system. A
  // patient id is given when one patient's record was exported.
  'export.fhir': { action: 'R', type: eventTypes.export, subject: 'optional-patient' },
  // HL7 v2 results of visits, to a file or a lab's endpoint: data read out, as a FHIR export.
  'export.hl7': { action: 'R', type: eventTypes.export, subject: 'optional-patient' },
  // DICOM's Import event uses action C: data enters the system. Each patient created or changed is audited too.
  'import.fhir': { action: 'C', type: eventTypes.import, subject: 'none' },
  // A patient's research-use decision, recorded from the chart.
  'consent.record': { action: 'C', type: eventTypes.patientRecord, subject: 'patient' },
  // A patient referred to another facility from the chart, and each status learnt of it afterwards.
  'referral.create': { action: 'C', type: eventTypes.patientRecord, subject: 'patient' },
  'referral.status': { action: 'C', type: eventTypes.patientRecord, subject: 'patient' },
  // De-identified records queued for the Open Data Hub: data read out, as an export (counts only).
  'odh.contribute': { action: 'R', type: eventTypes.export, subject: 'none' },
  // A withdrawal notice queued for the Open Data Hub, so it removes the patient's pseudonym's data.
  'odh.withdraw': { action: 'D', type: eventTypes.export, subject: 'patient' },
} as const satisfies Record<string, { action: NonNullable<AuditEvent['action']>; type: Coding; subject: Subject }>;

export type AuditKind = keyof typeof auditKinds;
export const auditKindNames = Object.keys(auditKinds) as AuditKind[];

export const auditOutcomes = {
  success: '0',
  'minor-failure': '4',
  'serious-failure': '8',
} as const satisfies Record<string, NonNullable<AuditEvent['outcome']>>;
export type AuditOutcome = keyof typeof auditOutcomes;

/**
 * FHIR ids ([A-Za-z0-9-.]{1,64}). Requiring this shape for every id keeps the
 * references valid and rules out most accidental PHI (a name with a space, an
 * e-mail address, a phone number with a +).
 */
const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);

export interface AuditEventInput {
  kind: AuditKind;
  /**
   * The acting staff member's id. For a failed login with an unknown user
   * name, pass a fixed placeholder id, never the typed name: people type
   * patient names into the wrong field.
   */
  userId: string;
  role: Role;
  workstationId: string;
  recorded: Date;
  /** Defaults to success. */
  outcome?: AuditOutcome;
  /** Required for patient.* record kinds, observation.create and conflict.resolve; refused for others except search and export. */
  patientId?: string;
  /** The staff member acted upon; required for staff.* kinds, refused otherwise. */
  targetUserId?: string;
  /** Counts and codes only (e.g. `{ results: 3 }`), never query text or names; strings must be code-like, without spaces. */
  detail?: Record<string, string | number>;
}

const auditEventInputSchema: z.ZodType<AuditEventInput> = z
  .object({
    kind: z.enum(auditKindNames as [AuditKind, ...AuditKind[]]),
    userId: fhirId,
    role: z.enum(roles),
    workstationId: fhirId,
    recorded: z.date().refine((d) => !Number.isNaN(d.getTime())),
    outcome: z.enum(Object.keys(auditOutcomes) as [AuditOutcome, ...AuditOutcome[]]).optional(),
    patientId: fhirId.optional(),
    targetUserId: fhirId.optional(),
    // String values must be code-like (no spaces): that admits "fhir-ndjson"
    // or "v2" and refuses a query, a sentence or a full name.
    detail: z.record(z.string().regex(/^[a-z][A-Za-z0-9._-]{0,63}$/), z.union([z.string().regex(/^[A-Za-z0-9._:/-]{0,64}$/), z.number()])).optional(),
  })
  .strict();

/** A caller passed input the audit log refuses; the message names fields, never values. */
export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}

const inputFields: ReadonlySet<string> = new Set<keyof AuditEventInput>([
  'kind',
  'userId',
  'role',
  'workstationId',
  'recorded',
  'outcome',
  'patientId',
  'targetUserId',
  'detail',
]);

function fieldName(key: PropertyKey | undefined): string {
  return typeof key === 'string' && inputFields.has(key) ? key : '(input)';
}

// Entity codings (FHIR R4 audit-entity-type and object-role code systems):
// they tell a reader what the referenced entity is without resolving it.
const personEntityType: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' };
const patientRole: Coding = { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' };
const userRole: Coding = { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '11', display: 'Security User Entity' };

/**
 * Builds the AuditEvent for one act. Throws `AuditInputError` on input the
 * table does not allow (a patient read without a patient, a login with one):
 * the caller must then fail the act itself, since an act that cannot be
 * audited correctly must not happen unaudited.
 */
export function buildAuditEvent(input: AuditEventInput): AuditEvent {
  const parsed = auditEventInputSchema.safeParse(input);
  if (!parsed.success) {
    // Top-level field names only: values, and keys inside `detail` or of an
    // unknown field, may be exactly the PHI this module keeps out.
    const fields = [...new Set(parsed.error.issues.map((issue) => fieldName(issue.path[0])))];
    throw new AuditInputError(`invalid audit event input: ${fields.join(', ')}`);
  }
  const { kind, userId, role, workstationId, recorded, outcome = 'success', patientId, targetUserId, detail } = parsed.data;
  const row = auditKinds[kind];
  const subject: Subject = row.subject;

  if (subject === 'patient' && patientId === undefined) throw new AuditInputError(`${kind} needs patientId`);
  if ((subject === 'staff' || subject === 'none') && patientId !== undefined) throw new AuditInputError(`${kind} takes no patientId`);
  if (subject === 'staff' && targetUserId === undefined) throw new AuditInputError(`${kind} needs targetUserId`);
  if (subject !== 'staff' && targetUserId !== undefined) throw new AuditInputError(`${kind} takes no targetUserId`);

  const entity: AuditEventEntity[] = [];
  // Codings are copied so no two events share an object a caller could mutate.
  if (patientId !== undefined) entity.push({ what: { reference: `Patient/${patientId}` }, type: { ...personEntityType }, role: { ...patientRole } });
  if (targetUserId !== undefined) entity.push({ what: { reference: `Practitioner/${targetUserId}` }, type: { ...personEntityType }, role: { ...userRole } });
  const details = detail === undefined ? [] : Object.entries(detail).map(([type, value]) => ({ type, valueString: String(value) }));
  if (details.length > 0) {
    // Details describe the act's object; with no entity (a search that matched
    // several patients) they go on an entity without `what`, which R4 allows.
    const first = entity[0];
    if (first === undefined) entity.push({ detail: details });
    else first.detail = details;
  }

  return {
    resourceType: 'AuditEvent',
    type: { ...row.type },
    subtype: [{ system: AUDIT_SUBTYPE_SYSTEM, code: kind }],
    action: row.action,
    recorded: recorded.toISOString(),
    outcome: auditOutcomes[outcome],
    agent: [{ who: { reference: `Practitioner/${userId}` }, requestor: true, role: [{ text: role }] }],
    source: {
      observer: { display: workstationId },
      // security-source-type 1: the event was observed on an end-user device.
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'User Device' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}

// ---- readers: the one place that knows where builders put each fact --------

/** Our subtype code of an event (its `AuditKind` if we built it). */
export function auditKindOf(event: AuditEvent): string | undefined {
  return event.subtype?.find((coding) => coding.system === AUDIT_SUBTYPE_SYSTEM)?.code;
}

/** The requesting user's id, from `Practitioner/<id>`. */
export function auditUserIdOf(event: AuditEvent): string | undefined {
  const reference = event.agent.find((agent) => agent.requestor)?.who?.reference;
  return reference?.startsWith('Practitioner/') ? reference.slice('Practitioner/'.length) : undefined;
}

/** The patient concerned, from the `Patient/<id>` entity, if any. */
export function auditPatientIdOf(event: AuditEvent): string | undefined {
  for (const entity of event.entity ?? []) {
    const reference = entity.what?.reference;
    if (reference?.startsWith('Patient/')) return reference.slice('Patient/'.length);
  }
  return undefined;
}

export function auditOutcomeOf(event: AuditEvent): AuditOutcome | undefined {
  return (Object.keys(auditOutcomes) as AuditOutcome[]).find((name) => auditOutcomes[name] === event.outcome);
}
