import type { z } from 'zod';
import { consentSchema, type Consent } from '../../app/consents/consent';
import { observationSchema, type RecordedObservation } from '../../app/observations/observation';
import { patientSchema, type Patient } from '../../app/patients/patient';
import { referralSchema, referralStatusSchema, type Referral, type ReferralStatus } from '../../app/referrals/referral';
import { decodeHlc } from '../../app/records/hlc';
import type { SealedRecord } from '../../app/records/sealed-record';
import { openSealed } from './open-sealed';
import { visitSchema, type Visit } from '../../app/visits/visit';
import type { ClinicDatabase } from './database';
import type { Session } from './session';

/**
 * A page of patients' records for an export (FHIR or HL7 v2), opened: each
 * patient with their readings, visits, research-use decisions and referrals, and which workstation stored each
 * reading and visit (its clock's node). Records that do not open or are not
 * in their form are counted in `counts.unreadable`, never returned half-read.
 */
export interface OpenedPage {
  patients: { patient: Patient; readings: RecordedObservation[]; visits: Visit[]; consents: Consent[]; referrals: { referrals: Referral[]; statuses: ReferralStatus[] } }[];
  /** Record id → the workstation that stored it. */
  writtenOn: Map<string, string>;
}

interface Opened<T> {
  value: T;
  record: SealedRecord;
}

export function pageReader(db: ClinicDatabase, session: Session, counts: { unreadable: number }): (page: SealedRecord[]) => Promise<OpenedPage> {
  const openAll = async <T>(records: SealedRecord[], schema: z.ZodType<T>): Promise<Opened<T>[]> => {
    const { opened, unreadable } = await openSealed(session, records, schema);
    counts.unreadable += unreadable;
    return opened;
  };
  const about = async (type: 'observation' | 'visit' | 'consent' | 'referral' | 'referralStatus', subjects: string[]): Promise<SealedRecord[]> =>
    (await db.records.find({ selector: { deleted: false, type, subject: { $in: subjects } } }).exec()).map((doc) => doc.toMutableJSON());

  return async (page) => {
    const opened = await openAll<Patient>(page, patientSchema);
    const subjects = opened.map((entry) => entry.value.id);
    const readings = await openAll<RecordedObservation>(await about('observation', subjects), observationSchema);
    const visits = await openAll<Visit>(await about('visit', subjects), visitSchema);
    const consents = await openAll<Consent>(await about('consent', subjects), consentSchema);
    const referrals = byPatient(await openAll<Referral>(await about('referral', subjects), referralSchema));
    const statuses = byPatient(await openAll<ReferralStatus>(await about('referralStatus', subjects), referralStatusSchema));
    const writtenOn = new Map<string, string>();
    for (const { value, record } of [...readings, ...visits]) writtenOn.set(value.id, nodeOf(record.hlc, session.workstationId));
    const readingsOf = byPatient(readings);
    const visitsOf = byPatient(visits);
    const consentsOf = byPatient(consents);
    return {
      patients: opened.map(({ value: patient }) => ({
        patient,
        readings: readingsOf.get(patient.id) ?? [],
        visits: visitsOf.get(patient.id) ?? [],
        consents: consentsOf.get(patient.id) ?? [],
        referrals: { referrals: referrals.get(patient.id) ?? [], statuses: statuses.get(patient.id) ?? [] },
      })),
      writtenOn,
    };
  };
}

/** A page's opened records by the patient they are about. */
function byPatient<T extends { patientId: string }>(entries: readonly Opened<T>[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const { value } of entries) {
    const own = grouped.get(value.patientId);
    if (own) own.push(value);
    else grouped.set(value.patientId, [value]);
  }
  return grouped;
}

function nodeOf(hlc: string, fallback: string): string {
  try {
    return decodeHlc(hlc).node;
  } catch {
    return fallback;
  }
}
