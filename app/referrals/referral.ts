import { z } from 'zod';
import { acvpuLevels, news2Risks } from '../clinical/news2';
import { comparators } from '../devices/decoded-item';
import { facilityCapabilities } from '../facilities/capabilities';
import { facilityIdSchema } from '../facilities/directory-entry';
import { latLonSchema } from '../routing/geo';

/**
 * A referral (issue 16): a patient sent from the clinic to a facility able to
 * do what they need, as the sending nurse decided it: why, how urgently, by
 * what transport, where to, and the latest vitals and NEWS2 score the
 * receiving side needs. Each referral is one sealed record that is never
 * changed; what happens to it afterwards (accepted, arrived, completed) is
 * told by status records of its own (`referralStatusSchema`), so two
 * workstations recording news at once never overwrite each other, as with
 * consents.
 */

export const referralUrgencies = ['routine', 'urgent', 'emergency'] as const;
export const referralTransports = ['ambulance', 'clinic-vehicle', 'private-vehicle', 'public-transport', 'on-foot', 'other'] as const;
export const referralStatuses = ['sent', 'accepted', 'arrived', 'completed', 'cancelled'] as const;

const isoInstant = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(64);

/**
 * A reading the referral carries, as the chart shows it (LOINC code, value,
 * UCUM unit, when): a level of consciousness is its ACVPU letter (no unit), and
 * a glucometer's HI or LO keeps its comparator, so the letter never prints the
 * meter's limit as a measurement.
 */
export const referralVitalSchema = z.strictObject({
  code: z.string().max(20),
  label: z.string().max(100),
  value: z.union([z.number().finite(), z.enum(acvpuLevels)]),
  comparator: z.enum(comparators).optional(),
  unit: z.string().max(20),
  effectiveAt: isoInstant,
  readingId: id.optional(),
});
export type ReferralVital = z.infer<typeof referralVitalSchema>;

/** A carried reading's value as plain text with its comparator and UCUM unit: ">600 mg/dL", "96 %", "V". */
export const vitalValueText = (vital: Pick<ReferralVital, 'value' | 'comparator' | 'unit'>): string => `${vital.comparator ?? ''}${vital.value}${vital.unit ? ` ${vital.unit}` : ''}`;

export const referralInputSchema = z.strictObject({
  facilityId: facilityIdSchema,
  capability: z.enum(facilityCapabilities),
  reason: z.string().trim().min(1).max(2000),
  urgency: z.enum(referralUrgencies),
  transport: z.enum(referralTransports),
});

/** The road route the nurse was shown, when there was one. */
export const referralRouteSchema = z.strictObject({ distanceM: z.number().nonnegative().max(1e8), durationS: z.number().nonnegative().max(1e8), season: z.enum(['dry', 'rainy']) });

/** What the referral screen sends: the nurse's choices, and the route it showed (the store adds the facility, vitals and NEWS2 itself). */
export const referralRequestSchema = referralInputSchema.extend({ route: referralRouteSchema.optional() });

/** The field of a rejected referral, as message keys the screens translate. */
export const referralFieldKeys = { facilityId: 'referrals.errors.facility', capability: 'referrals.errors.capability', reason: 'referrals.errors.reason', urgency: 'referrals.errors.urgency', transport: 'referrals.errors.transport', route: 'referrals.errors.route' } as const;

export const referralSchema = referralInputSchema.extend({
  id,
  patientId: id,
  /** The facility as the directory named it when the referral was made (the letter prints it even if the directory changes). */
  facilityName: z.string().min(1).max(300),
  facilityPosition: latLonSchema,
  route: referralRouteSchema.optional(),
  news2: z.strictObject({ total: z.number().int().min(0).max(20), risk: z.enum(news2Risks), anySingleThree: z.boolean(), complete: z.boolean() }).nullable(),
  vitals: z.array(referralVitalSchema).max(50),
  createdAt: isoInstant,
  createdBy: id,
});
export type Referral = z.infer<typeof referralSchema>;

/** What staff record when they learn how a referral went; `sent` is what a referral is from the start. */
export const referralStatusInputSchema = z.strictObject({
  status: z.enum(referralStatuses).exclude(['sent']),
  note: z.string().trim().max(1000).optional(),
});
export const referralStatusFieldKeys = { status: 'referrals.errors.status', note: 'referrals.errors.note' } as const;

export const referralStatusSchema = z.strictObject({
  id,
  referralId: id,
  patientId: id,
  status: z.enum(referralStatuses),
  note: z.string().trim().max(1000).optional(),
  recordedAt: isoInstant,
  recordedBy: id,
});
export type ReferralStatus = z.infer<typeof referralStatusSchema>;

/** A referral's status now: the latest recorded (ties by id, so every workstation agrees), `sent` before any. */
export function currentStatus(referral: Pick<Referral, 'id'>, statuses: readonly ReferralStatus[]): ReferralStatus['status'] {
  const own = statuses.filter((status) => status.referralId === referral.id);
  own.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
  return own.at(-1)?.status ?? 'sent';
}

/** Whether NEWS2 asks for a referral to be offered: a high score (7 or more), or any one parameter scoring 3 (RCP NEWS2, chart 4). */
export const referralAdvised = (news2: { risk: string; anySingleThree: boolean } | null | undefined): boolean => news2 !== null && news2 !== undefined && (news2.risk === 'high' || news2.anySingleThree);
