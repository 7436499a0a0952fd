import { z } from 'zod';

/**
 * Settings that must be the same on every workstation of a clinic, because
 * they change what staff see or how exposed the data is: how soon an idle
 * workstation locks, how dates are written, the glucose unit, and how far
 * back NEWS2 and a glucometer download look. They are one sealed record in
 * the `records` collection (type `clinicSettings`, one fixed id), so they
 * replicate like any clinical record, and only an admin changes them
 * (`clinicSettings.manage`, checked by the store).
 */

/** How a date is written: 12/5/2026 is 12 May or 5 December, so the clinic chooses once. */
export const dateOrders = ['day-first', 'month-first', 'year-first'] as const;
export type DateOrder = (typeof dateOrders)[number];

/** UCUM codes of the glucose units a clinic may read results in; stored values keep their own unit. */
export const glucoseDisplayUnits = ['mg/dL', 'mmol/L'] as const;
export type GlucoseDisplayUnit = (typeof glucoseDisplayUnits)[number];

/** What an admin chooses; each bound is what the settings page says. */
export const clinicSettingsInputSchema = z
  .object({
    /** Minutes without input before a workstation locks itself. */
    idleLockMinutes: z.number().int().min(1).max(60),
    dateOrder: z.enum(dateOrders),
    glucoseUnit: z.enum(glucoseDisplayUnits),
    /** NEWS2 uses values measured within this many hours; older ones are shown as too old, never scored. */
    news2WindowHours: z.number().int().min(1).max(72),
    /** A glucometer's stored results older than this many days are marked as old on the capture screen. */
    glucometerMaxAgeDays: z.number().int().min(1).max(90),
  })
  .strict();
export type ClinicSettingsInput = z.infer<typeof clinicSettingsInputSchema>;

/** The sealed payload: the choice, and who made it when (shown on the settings page). */
export const clinicSettingsSchema = clinicSettingsInputSchema
  .extend({
    updatedAt: z.iso.datetime({ offset: true }),
    /** The admin's user id. */
    updatedBy: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  })
  .strict();
export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;

/**
 * Until an admin first saves, every workstation uses these. The idle lock is
 * not migrated from a workstation's old local setting: each workstation may
 * have had its own value and none of them speaks for the clinic, so the
 * documented default (5 minutes) applies until an admin chooses, on the
 * settings page, the one value for all.
 */
export const defaultClinicSettings: ClinicSettingsInput = {
  idleLockMinutes: 5,
  dateOrder: 'day-first',
  glucoseUnit: 'mg/dL',
  news2WindowHours: 24,
  glucometerMaxAgeDays: 7,
};

/**
 * One record per clinic, under one id on every workstation: two admins saving
 * apart make two versions of the same record, and sync keeps the later edit
 * (app/conflicts/merge-records.ts treats any type but patients and
 * observations that way), so the clinic ends with one set of settings.
 */
export const clinicSettingsRecordId = 'clinic-settings';
