import { requirePermission } from '../../app/auth/roles';
import { facilityOverrideFieldKeys, facilityOverrideInputSchema, facilityOverrideSchema, type FacilityOverride } from '../../app/facilities/facility-override';
import { sealRecord } from '../../app/records/sealed-record';
import { openSealedOfType } from './open-sealed';
import type { ClinicDatabase } from './database';
import { newId } from './ids';
import type { Session } from './session';
import { invalidInput, StoreError } from './store-error';

/**
 * The clinic's own statements about directory facilities
 * (app/facilities/facility-override.ts): written by administrators, read by
 * every unlocked session (the facilities page and referrals go by them).
 */
export interface FacilityOverrides {
  record(session: Session, input: unknown): Promise<FacilityOverride>;
  /** Every statement; records that do not open are counted, never dropped. */
  all(session: Session): Promise<{ overrides: FacilityOverride[]; unreadable: number }>;
}

export function createFacilityOverrides(db: ClinicDatabase, options: { clock: { tick(): string }; now?: () => number }): FacilityOverrides {
  const now = options.now ?? (() => Date.now());
  return {
    async record(session, input) {
      requirePermission(session, 'facilities.override');
      const parsed = facilityOverrideInputSchema.safeParse(input);
      if (!parsed.success) throw invalidInput('What the clinic knows of this facility cannot be recorded as it is.', parsed.error.issues, facilityOverrideFieldKeys);
      if (!(await db.facilities.findOne(parsed.data.facilityId).exec())) throw new StoreError('not_found', 'No such facility in the directory.');
      const override: FacilityOverride = { id: newId('fov'), ...parsed.data, recordedAt: new Date(now()).toISOString(), recordedBy: session.userId };
      await db.records.insert(await sealRecord(session.dataKey, { id: override.id, type: 'facilityOverride', clinicId: session.clinicId, subject: override.facilityId, updatedAt: now(), hlc: options.clock.tick(), deleted: false }, override));
      return override;
    },

    async all(session) {
      const { values, unreadable } = await openSealedOfType(db, session, 'facilityOverride', facilityOverrideSchema, { subjectOf: (override) => override.facilityId });
      return { overrides: values.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt) || a.id.localeCompare(b.id)), unreadable };
    },
  };
}
