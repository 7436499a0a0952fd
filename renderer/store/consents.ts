import { requirePermission } from '../../app/auth/roles';
import { consentFieldKeys, consentInputSchema, consentSchema, currentConsent, odhResearchPolicy, type Consent } from '../../app/consents/consent';
import { sealRecord } from '../../app/records/sealed-record';
import { openSealedOfType } from './open-sealed';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import { newId } from './ids';
import type { Session } from './session';
import { invalidInput, StoreError } from './store-error';

/**
 * Patients' research-use decisions (app/consents/consent.ts): recorded from
 * the chart by anyone who may change the patient's record, each decision a
 * new sealed record, read per patient or, for a contribution, for everyone.
 */
export interface ConsentRepository {
  record(session: Session, patientId: string, input: unknown): Promise<Consent>;
  /** One patient's decisions, newest first; records that do not open are counted, never dropped. */
  forPatient(session: Session, patientId: string): Promise<{ consents: Consent[]; unreadable: number }>;
  /** Decisions an import checked (fhir-import.ts), with their own ids; any already here stay as they are. Each new one audited against its patient. */
  putImported(session: Session, consents: readonly Consent[]): Promise<number>;
  /** Every patient's consent now, by patient id (for a contribution: who may contribute, whose withdrawal to send). */
  current(session: Session): Promise<{ byPatient: Map<string, Consent>; unreadable: number }>;
}

export function createConsentRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): ConsentRepository {
  const now = options.now ?? (() => Date.now());

  async function open(session: Session, subject?: string): Promise<{ consents: Consent[]; unreadable: number }> {
    const { values, unreadable } = await openSealedOfType(db, session, 'consent', consentSchema, { ...(subject === undefined ? {} : { subject }), subjectOf: (consent) => consent.patientId });
    return { consents: values, unreadable };
  }

  return {
    async record(session, patientId, input) {
      requirePermission(session, 'patient.write');
      const today = new Date(now()).toISOString().slice(0, 10);
      const parsed = consentInputSchema(today).safeParse(input);
      if (!parsed.success) throw invalidInput('The consent cannot be recorded as it is.', parsed.error.issues, consentFieldKeys);
      const patient = await db.records.findOne({ selector: { id: patientId, type: 'patient', deleted: false } }).exec();
      if (!patient) throw new StoreError('not_found', 'No such patient.');
      const consent: Consent = { id: newId('cns'), patientId, status: parsed.data.status, policy: odhResearchPolicy, date: parsed.data.date, recordedAt: new Date(now()).toISOString(), recordedBy: session.userId };
      await db.records.insert(await sealRecord(session.dataKey, { id: consent.id, type: 'consent', clinicId: session.clinicId, subject: patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, consent));
      await audit.record(session, { kind: 'consent.record', patientId, detail: { status: consent.status } });
      return consent;
    },

    async putImported(session, consents) {
      requirePermission(session, 'patient.write');
      const records = await Promise.all(consents.map((consent) => sealRecord(session.dataKey, { id: consent.id, type: 'consent', clinicId: session.clinicId, subject: consent.patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, consent)));
      const { success } = await db.records.bulkInsert(records);
      const stored = new Set(success.map((doc) => doc.id));
      for (const consent of consents) if (stored.has(consent.id)) await audit.record(session, { kind: 'consent.record', patientId: consent.patientId, detail: { status: consent.status } });
      return stored.size;
    },

    async forPatient(session, patientId) {
      requirePermission(session, 'patient.read');
      const { consents, unreadable } = await open(session, patientId);
      consents.sort((a, b) => (currentConsent([a, b]) === a ? -1 : 1));
      return { consents, unreadable };
    },

    async current(session) {
      requirePermission(session, 'odh.contribute');
      const { consents, unreadable } = await open(session);
      const byPatient = new Map<string, Consent>();
      for (const consent of consents) {
        const known = byPatient.get(consent.patientId);
        byPatient.set(consent.patientId, known === undefined ? consent : currentConsent([known, consent])!);
      }
      return { byPatient, unreadable };
    },
  };
}
