import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AUDIT_SUBTYPE_SYSTEM,
  AuditInputError,
  DICOM_SYSTEM,
  auditKindNames,
  auditKindOf,
  auditOutcomeOf,
  auditPatientIdOf,
  auditUserIdOf,
  buildAuditEvent,
  type AuditEventInput,
  type AuditKind,
} from './audit-event';

const PATIENT_NAME = 'Amina Diallo';
const recorded = new Date('2025-03-04T09:15:00.000Z');

/** Expected [action, DICOM event code, subject] per kind, written out independently of the table. */
const expectedKinds: Record<AuditKind, [action: string, type: string, subject: 'patient' | 'optional-patient' | 'staff' | 'none']> = {
  'patient.create': ['C', '110110', 'patient'],
  'patient.read': ['R', '110110', 'patient'],
  'patient.update': ['U', '110110', 'patient'],
  'patient.search': ['E', '110110', 'optional-patient'],
  'observation.create': ['C', '110110', 'patient'],
  'conflict.resolve': ['U', '110110', 'patient'],
  'audit.read': ['R', '110101', 'none'],
  'staff.create': ['C', '110113', 'staff'],
  'staff.disable': ['U', '110113', 'staff'],
  'staff.reset-passphrase': ['U', '110113', 'staff'],
  'staff.role-change': ['U', '110113', 'staff'],
  'workstation.enroll-code': ['C', '110113', 'none'],
  'clinic.settings-change': ['U', '110113', 'none'],
  'sync.arrival-dismiss': ['D', '110113', 'none'],
  'user.login': ['E', '110114', 'none'],
  'user.login-failed': ['E', '110114', 'none'],
  'user.logout': ['E', '110114', 'none'],
  'user.lock': ['E', '110114', 'none'],
  'export.fhir': ['R', '110106', 'optional-patient'],
  'export.hl7': ['R', '110106', 'optional-patient'],
  'import.fhir': ['C', '110107', 'none'],
  'consent.record': ['C', '110110', 'patient'],
  'referral.create': ['C', '110110', 'patient'],
  'referral.status': ['C', '110110', 'patient'],
  'odh.contribute': ['R', '110106', 'none'],
  'odh.withdraw': ['D', '110106', 'patient'],
};

/** A valid input for `kind`, with every id slot its subject allows filled. */
function inputFor(kind: AuditKind): AuditEventInput {
  const subject = expectedKinds[kind][2];
  return {
    kind,
    userId: 'u-7',
    role: 'clinician',
    workstationId: 'ws-A',
    recorded,
    ...(subject === 'patient' || subject === 'optional-patient' ? { patientId: 'p-42' } : {}),
    ...(subject === 'staff' ? { targetUserId: 'u-9' } : {}),
  };
}

/**
 * The R4 AuditEvent cardinalities this builder must meet (required: type,
 * recorded, agent 1..* with requestor, source.observer), the value sets of
 * action and outcome, and invariant sev-1 (an entity has a name or a query,
 * not both). Written from the R4 spec, not from the builder.
 */
const coding = z.object({ system: z.string().min(1), code: z.string().min(1), display: z.string().optional() });
const reference = z.object({ reference: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/) });
const fhirAuditEventShape = z.object({
  resourceType: z.literal('AuditEvent'),
  type: coding,
  subtype: z.array(coding).min(1).optional(),
  action: z.enum(['C', 'R', 'U', 'D', 'E']).optional(),
  recorded: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/),
  outcome: z.enum(['0', '4', '8', '12']).optional(),
  agent: z
    .array(z.object({ who: reference.optional(), requestor: z.boolean(), role: z.array(z.object({ text: z.string() })).optional() }).strict())
    .min(1),
  source: z.object({ observer: z.object({ display: z.string().min(1) }), type: z.array(coding).optional() }).strict(),
  entity: z
    .array(
      z
        .object({
          what: reference.optional(),
          type: coding.optional(),
          role: coding.optional(),
          name: z.string().optional(),
          query: z.string().optional(),
          detail: z.array(z.object({ type: z.string().min(1), valueString: z.string() }).strict()).optional(),
        })
        .strict()
        .refine((entity) => entity.name === undefined || entity.query === undefined),
    )
    .min(1)
    .optional(),
});

describe('buildAuditEvent', () => {
  it('has a row for every kind, and no more', () => {
    expect([...auditKindNames].sort()).toEqual(Object.keys(expectedKinds).sort());
  });

  it.each(auditKindNames)('%s gets its DICOM type, subtype and action', (kind) => {
    const [action, type] = expectedKinds[kind];
    const event = buildAuditEvent(inputFor(kind));
    expect(event.type).toMatchObject({ system: DICOM_SYSTEM, code: type });
    expect(event.subtype).toEqual([{ system: AUDIT_SUBTYPE_SYSTEM, code: kind }]);
    expect(event.action).toBe(action);
    expect(auditKindOf(event)).toBe(kind);
  });

  it.each(auditKindNames)('%s is a structurally valid FHIR R4 AuditEvent', (kind) => {
    const event = buildAuditEvent({ ...inputFor(kind), detail: { results: 3, format: 'fhir-ndjson' } });
    expect(fhirAuditEventShape.safeParse(event).error).toBeUndefined();
    expect(event.type).toBeDefined();
    expect(event.recorded).toBe('2025-03-04T09:15:00.000Z');
    expect(event.agent[0]).toMatchObject({ who: { reference: 'Practitioner/u-7' }, requestor: true, role: [{ text: 'clinician' }] });
    expect(event.source.observer).toEqual({ display: 'ws-A' });
  });

  it('names people only by opaque reference', () => {
    const event = buildAuditEvent({ ...inputFor('patient.read'), outcome: 'minor-failure' });
    expect(event.agent[0]?.who).toEqual({ reference: 'Practitioner/u-7' });
    expect(event.entity).toHaveLength(1);
    expect(event.entity?.[0]?.what).toEqual({ reference: 'Patient/p-42' });
    expect(event.outcome).toBe('4');
    expect(auditPatientIdOf(event)).toBe('p-42');
    expect(auditUserIdOf(event)).toBe('u-7');
    expect(auditOutcomeOf(event)).toBe('minor-failure');
  });

  it('maps outcomes to R4 codes, success by default', () => {
    expect(buildAuditEvent(inputFor('user.login')).outcome).toBe('0');
    expect(buildAuditEvent({ ...inputFor('user.login-failed'), outcome: 'minor-failure' }).outcome).toBe('4');
    expect(buildAuditEvent({ ...inputFor('export.fhir'), outcome: 'serious-failure' }).outcome).toBe('8');
  });

  it('puts detail on the entity as strings, on an entity of its own when no one is concerned', () => {
    const withPatient = buildAuditEvent({ ...inputFor('export.fhir'), detail: { resources: 12 } });
    expect(withPatient.entity).toEqual([expect.objectContaining({ what: { reference: 'Patient/p-42' }, detail: [{ type: 'resources', valueString: '12' }] })]);
    const search = buildAuditEvent({ kind: 'patient.search', userId: 'u-7', role: 'nurse', workstationId: 'ws-A', recorded, detail: { results: 0 } });
    expect(search.entity).toEqual([{ detail: [{ type: 'results', valueString: '0' }] }]);
    expect(buildAuditEvent(inputFor('user.lock')).entity).toBeUndefined();
  });

  it('records the staff member acted upon for staff kinds', () => {
    const event = buildAuditEvent({ ...inputFor('staff.disable'), role: 'admin' });
    expect(event.entity?.[0]?.what).toEqual({ reference: 'Practitioner/u-9' });
    expect(auditPatientIdOf(event)).toBeUndefined();
  });

  it.each<[string, Partial<AuditEventInput> & { kind: AuditKind }]>([
    ['a patient kind without a patient', { kind: 'patient.read', patientId: undefined }],
    ['a login with a patient', { kind: 'user.login', patientId: 'p-42' }],
    ['a staff kind without the staff member', { kind: 'staff.create', targetUserId: undefined }],
    ['a patient kind with a staff member', { kind: 'patient.update', targetUserId: 'u-9' }],
    ['an invalid date', { kind: 'user.login', recorded: new Date(Number.NaN) }],
    ['an unknown kind', { kind: 'patient.delete' as AuditKind }],
  ])('refuses %s', (_label, change) => {
    expect(() => buildAuditEvent({ ...inputFor(change.kind in expectedKinds ? change.kind : 'user.login'), ...change })).toThrow(AuditInputError);
  });

  describe('keeps a patient name out, wherever a caller might try to put it', () => {
    const attempts: [string, () => AuditEvent][] = [
      ['as the patient id', () => buildAuditEvent({ ...inputFor('patient.read'), patientId: PATIENT_NAME })],
      ['as the user id (a name typed into the login field)', () => buildAuditEvent({ ...inputFor('user.login-failed'), userId: PATIENT_NAME })],
      ['as the workstation id', () => buildAuditEvent({ ...inputFor('user.login'), workstationId: PATIENT_NAME })],
      ['as a detail value (a search query)', () => buildAuditEvent({ ...inputFor('patient.search'), detail: { query: PATIENT_NAME } })],
      ['as a detail key', () => buildAuditEvent({ ...inputFor('patient.search'), detail: { [PATIENT_NAME]: 1 } })],
      [
        'as an extra field',
        () => {
          const withName = { ...inputFor('patient.read'), patientName: PATIENT_NAME, display: PATIENT_NAME };
          return buildAuditEvent(withName);
        },
      ],
    ];

    it.each(attempts)('%s: refused, and the error does not repeat it', (_label, attempt) => {
      let event: AuditEvent | undefined;
      let error: unknown;
      try {
        event = attempt();
      } catch (caught) {
        error = caught;
      }
      expect(event).toBeUndefined();
      expect(error).toBeInstanceOf(AuditInputError);
      expect(String((error as Error).message)).not.toContain('Amina');
      expect(String((error as Error).message)).not.toContain('Diallo');
    });

    it.each(auditKindNames)('%s built with every slot filled carries no name', (kind) => {
      const json = JSON.stringify(buildAuditEvent({ ...inputFor(kind), outcome: 'serious-failure', detail: { results: 2, format: 'fhir-ndjson' } }));
      expect(json).not.toContain('Amina');
      expect(json).not.toContain('Diallo');
      // And no display text at all beside the fixed code displays: none of the people have one.
      expect(json).not.toMatch(/"name"|"altId"/);
    });
  });
});
