import { z } from 'zod';

export const locales = ['en', 'fr'] as const;
export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/** Workstation settings kept by the main process (not PHI). */
export const settingsSchema = z
  .object({
    locale: localeSchema,
    /** Minutes without input before the workstation locks itself. */
    idleLockMinutes: z.number().int().min(1).max(60),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = { locale: 'en', idleLockMinutes: 5 };

/** A change to some settings; at least one field, unknown fields rejected. */
export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'at least one setting to change' });
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
