import { z } from 'zod';
import { facilityCapabilities, type FacilityCapability } from './capabilities';
import { facilityIdSchema, type CapabilityStatus, type DirectoryEntry } from './directory-entry';

/**
 * What a clinic has learnt of a facility in the shared directory ("no oxygen
 * at X this week"): its own sealed record (type `facilityOverride`, subject
 * the directory entry's id), written by its administrators, synced within the
 * clinic only. Each is one statement about one capability, never changed; for
 * a capability the newer of the directory's confirmation and the clinic's
 * latest statement is what the clinic goes by, and both are shown.
 */

export const facilityOverrideInputSchema = z.strictObject({
  facilityId: facilityIdSchema,
  capability: z.enum(facilityCapabilities),
  available: z.boolean(),
  note: z.string().trim().max(500).optional(),
});

export const facilityOverrideSchema = facilityOverrideInputSchema.extend({
  id: z.string().min(1).max(64),
  recordedAt: z.iso.datetime({ offset: true }),
  /** The staff member's id (the screens show their name). */
  recordedBy: z.string().min(1).max(64),
});
export type FacilityOverride = z.infer<typeof facilityOverrideSchema>;

/** The field of a rejected override, as message keys the screens translate. */
export const facilityOverrideFieldKeys = { facilityId: 'facilityOverride.errors.facility', capability: 'facilityOverride.errors.capability', available: 'facilityOverride.errors.available', note: 'facilityOverride.errors.note' } as const;

/** A capability as the clinic goes by it: available or not, since when, said by whom, and whether the clinic or the directory said so. */
export interface EffectiveCapability extends CapabilityStatus {
  by: 'directory' | 'clinic';
  note?: string;
  /** The directory's own status, when the clinic's statement is newer and says otherwise or adds to it. */
  directory?: CapabilityStatus;
}

/** Each capability of an entry the directory or the clinic speaks of, the newer statement winning. */
export function effectiveCapabilities(entry: Pick<DirectoryEntry, 'id' | 'capabilities'>, overrides: readonly FacilityOverride[]): Partial<Record<FacilityCapability, EffectiveCapability>> {
  const result: Partial<Record<FacilityCapability, EffectiveCapability>> = {};
  for (const capability of facilityCapabilities) {
    const shared = entry.capabilities[capability];
    const latest = overrides
      .filter((override) => override.facilityId === entry.id && override.capability === capability)
      .reduce<FacilityOverride | undefined>((newest, override) => (newest === undefined || Date.parse(override.recordedAt) > Date.parse(newest.recordedAt) ? override : newest), undefined);
    if (latest && (!shared || Date.parse(latest.recordedAt) >= Date.parse(shared.confirmedAt)))
      result[capability] = { available: latest.available, confirmedAt: latest.recordedAt, confirmedBy: latest.recordedBy, by: 'clinic', ...(latest.note ? { note: latest.note } : {}), ...(shared ? { directory: shared } : {}) };
    else if (shared) result[capability] = { ...shared, by: 'directory' };
  }
  return result;
}

/** The capabilities the clinic takes a facility to have now. */
export const capabilitiesNow = (entry: Pick<DirectoryEntry, 'id' | 'capabilities'>, overrides: readonly FacilityOverride[]): FacilityCapability[] =>
  Object.entries(effectiveCapabilities(entry, overrides)).flatMap(([capability, status]) => (status.available ? [capability as FacilityCapability] : []));
