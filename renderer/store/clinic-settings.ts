import type { ClinicSettingsState } from '../../app/contract/data-api';
import { requirePermission } from '../../app/auth/roles';
import {
  clinicSettingsInputSchema,
  clinicSettingsRecordId,
  clinicSettingsSchema,
  defaultClinicSettings,
  type ClinicSettings,
  type ClinicSettingsInput,
} from '../../app/settings/clinic-settings';
import { openRecord, sealRecord } from '../../app/records/sealed-record';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { Session } from './session';
import { invalidInput } from './store-error';

export type { ClinicSettingsState } from '../../app/contract/data-api';

/** i18n key per settings field, for the settings form. */
export const clinicSettingsFieldKeys = {
  idleLockMinutes: 'settings.clinic.invalid.idleLockMinutes',
  dateOrder: 'settings.clinic.invalid.choice',
  glucoseUnit: 'settings.clinic.invalid.choice',
  news2WindowHours: 'settings.clinic.invalid.news2WindowHours',
  glucometerMaxAgeDays: 'settings.clinic.invalid.glucometerMaxAgeDays',
} as const satisfies Record<keyof ClinicSettingsInput, string>;

/**
 * The clinic settings record: anyone unlocked reads it (every screen follows
 * it), only an admin changes it. Sealed like every record, so it replicates
 * to the clinic's other workstations through the hub.
 */
/** The clinic's settings record: read by anyone unlocked, changed by an admin. */
export interface ClinicSettingsRepository {
  get(session: Session): Promise<ClinicSettingsState>;
  update(session: Session, input: unknown): Promise<ClinicSettings>;
}

export function createClinicSettingsRepository(db: ClinicDatabase, audit: AuditLog, options: { clock: { tick(): string }; now?: () => number }): ClinicSettingsRepository {
  const now = options.now ?? (() => Date.now());

  return {
    async get(session: Session): Promise<ClinicSettingsState> {
      const doc = await db.records.findOne({ selector: { id: clinicSettingsRecordId, type: 'clinicSettings' } }).exec();
      if (!doc || doc.deleted) return { status: 'default', settings: defaultClinicSettings };
      try {
        const parsed = clinicSettingsSchema.safeParse(await openRecord(session.dataKey, doc.toMutableJSON()));
        return parsed.success ? { status: 'saved', settings: parsed.data } : { status: 'unreadable', settings: defaultClinicSettings };
      } catch {
        return { status: 'unreadable', settings: defaultClinicSettings };
      }
    },

    /**
     * Replaces the record whole. Unlike a patient record, a damaged settings
     * record is replaced too: it holds no clinical data, and an admin choosing
     * again is the only way back from it.
     */
    async update(session: Session, input: unknown): Promise<ClinicSettings> {
      requirePermission(session, 'clinicSettings.manage');
      const parsed = clinicSettingsInputSchema.safeParse(input);
      if (!parsed.success) throw invalidInput('Some clinic settings need correcting.', parsed.error.issues, clinicSettingsFieldKeys);
      const settings: ClinicSettings = { ...parsed.data, updatedAt: new Date(now()).toISOString(), updatedBy: session.userId };
      const record = await sealRecord(
        session.dataKey,
        { id: clinicSettingsRecordId, type: 'clinicSettings', clinicId: session.clinicId, subject: '', updatedAt: now(), hlc: options.clock.tick(), deleted: false },
        settings,
      );
      await db.records.upsert(record);
      await audit.record(session, { kind: 'clinic.settings-change' });
      return settings;
    },
  };
}
