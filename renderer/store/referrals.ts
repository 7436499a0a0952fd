import { requirePermission } from '../../app/auth/roles';
import { sealRecord } from '../../app/records/sealed-record';
import { openSealedOfType } from './open-sealed';
import {
  referralFieldKeys,
  referralRequestSchema,
  referralSchema,
  referralStatusFieldKeys,
  referralStatusInputSchema,
  referralStatusSchema,
  type Referral,
  type ReferralStatus,
} from '../../app/referrals/referral';
import { referralVitals } from '../../app/referrals/referral-vitals';
import type { AuditLog } from './audit-log';
import type { ClinicSettingsRepository } from './clinic-settings';
import type { ClinicDatabase } from './database';
import type { FacilityDirectory } from './facilities';
import { newId } from './ids';
import type { ObservationRepository } from './observations';
import type { Session } from './session';
import { invalidInput, StoreError } from './store-error';

/**
 * Patients referred to other facilities (app/referrals/referral.ts), from the
 * chart: each referral a sealed record never changed, each status learnt of
 * it afterwards a sealed record of its own, both under the patient, so they
 * sync within the clinic like the rest of the chart. The facility, the latest
 * vitals and NEWS2 are taken here from the store, not from the screen: the
 * letter says what the record said when the referral was made.
 */
export interface ReferralRepository {
  make(session: Session, patientId: string, input: unknown): Promise<Referral>;
  recordStatus(session: Session, referralId: string, input: unknown): Promise<ReferralStatus>;
  /** A patient's referrals, newest first, with every status recorded of them; records that do not open are counted, never dropped. */
  forPatient(session: Session, patientId: string): Promise<{ referrals: Referral[]; statuses: ReferralStatus[]; unreadable: number }>;
}

interface Parts {
  audit: AuditLog;
  observations: ObservationRepository;
  clinicSettings: ClinicSettingsRepository;
  facilities: FacilityDirectory;
}

export function createReferralRepository(db: ClinicDatabase, parts: Parts, options: { clock: { tick(): string }; now?: () => number }): ReferralRepository {
  const now = options.now ?? (() => Date.now());
  const header = (session: Session, id: string, type: 'referral' | 'referralStatus', patientId: string) => ({ id, type, clinicId: session.clinicId, subject: patientId, updatedAt: now(), hlc: options.clock.tick(), deleted: false });

  async function open(session: Session, patientId: string) {
    const options = { subject: patientId, subjectOf: (value: { patientId: string }) => value.patientId };
    const [referrals, statuses] = await Promise.all([openSealedOfType(db, session, 'referral', referralSchema, options), openSealedOfType(db, session, 'referralStatus', referralStatusSchema, options)]);
    return { referrals: referrals.values, statuses: statuses.values, unreadable: referrals.unreadable + statuses.unreadable };
  }

  return {
    async make(session, patientId, input) {
      requirePermission(session, 'referral.write');
      const parsed = referralRequestSchema.safeParse(input);
      if (!parsed.success) throw invalidInput('The referral cannot be made as it is.', parsed.error.issues, referralFieldKeys);
      const patient = await db.records.findOne({ selector: { id: patientId, type: 'patient', deleted: false } }).exec();
      if (!patient) throw new StoreError('not_found', 'No such patient.');
      const facility = await parts.facilities.get(parsed.data.facilityId);
      if (!facility) throw new StoreError('not_found', 'That facility is no longer in the directory. Choose another.');
      const { observations } = await parts.observations.forPatient(session, patientId);
      const { settings } = await parts.clinicSettings.get(session);
      const referral: Referral = referralSchema.parse({
        id: newId('ref'),
        patientId,
        ...parsed.data,
        facilityName: facility.name ?? `${facility.kind} ${facility.source.ref}`,
        facilityPosition: [facility.lat, facility.lon],
        ...referralVitals(observations, { now: now(), windowHours: settings.news2WindowHours }),
        createdAt: new Date(now()).toISOString(),
        createdBy: session.userId,
      });
      await db.records.insert(await sealRecord(session.dataKey, header(session, referral.id, 'referral', patientId), referral));
      await parts.audit.record(session, { kind: 'referral.create', patientId, detail: { urgency: referral.urgency, capability: referral.capability } });
      return referral;
    },

    async recordStatus(session, referralId, input) {
      requirePermission(session, 'referral.write');
      const parsed = referralStatusInputSchema.safeParse(input);
      if (!parsed.success) throw invalidInput('The referral’s status cannot be recorded as it is.', parsed.error.issues, referralStatusFieldKeys);
      const doc = await db.records.findOne({ selector: { id: referralId, type: 'referral', deleted: false } }).exec();
      if (!doc) throw new StoreError('not_found', 'No such referral.');
      const patientId = doc.subject;
      const status: ReferralStatus = { id: newId('rst'), referralId, patientId, ...parsed.data, recordedAt: new Date(now()).toISOString(), recordedBy: session.userId };
      await db.records.insert(await sealRecord(session.dataKey, header(session, status.id, 'referralStatus', patientId), status));
      await parts.audit.record(session, { kind: 'referral.status', patientId, detail: { status: status.status } });
      return status;
    },

    async forPatient(session, patientId) {
      requirePermission(session, 'patient.read');
      const { referrals, statuses, unreadable } = await open(session, patientId);
      referrals.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      statuses.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
      return { referrals, statuses, unreadable };
    },
  };
}
