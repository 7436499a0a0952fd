import { z } from 'zod';

export const locales = ['en', 'fr'] as const;
export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/**
 * Workstation settings kept by the main process (not PHI). Only preferences
 * that carry no clinical or security risk live here; everything that must be
 * the same on every workstation of a clinic (idle lock, date order, units,
 * windows) is the sealed clinic settings record (clinic-settings.ts).
 */
export const settingsSchema = z
  .object({
    locale: localeSchema,
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = { locale: 'en' };

/**
 * The settings file as earlier versions wrote it: it also held
 * `idleLockMinutes`, now a clinic setting. That field is read and dropped
 * (not refused), so an upgraded workstation keeps its language instead of
 * moving the whole file aside as unreadable.
 */
export const storedSettingsSchema = settingsSchema
  .extend({ idleLockMinutes: z.unknown().optional() })
  .strict()
  .transform((stored): Settings => ({ locale: stored.locale }));

/** A change to some settings; at least one field, unknown fields rejected. */
export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'at least one setting to change' });
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
