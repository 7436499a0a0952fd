import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { defaultClinicSettings, type ClinicSettingsInput } from '../../app/settings/clinic-settings';
import { localeSchema } from '../../app/settings/settings';
import type { FormatContext } from '../format/format';
import { phiKey, useData, useVaultState } from '../data-client/DataContext';

/** Under the decrypted-data prefix: dropped at lock, refetched when a record (this one, synced from another workstation) changes. */
export const clinicSettingsKey = [phiKey, 'clinic-settings'] as const;

/** The clinic settings record as stored (with its status), loaded while unlocked. */
export function useClinicSettingsRecord() {
  const data = useData();
  const unlocked = useVaultState().status === 'unlocked';
  return useQuery({ queryKey: clinicSettingsKey, queryFn: () => data.call('clinicSettings.get', {}), enabled: unlocked });
}

/** The settings every screen follows: the clinic's, or the defaults until they are loaded or when none were saved. */
export function useClinicSettings(): ClinicSettingsInput {
  return useClinicSettingsRecord().data?.settings ?? defaultClinicSettings;
}

/** How dates, times and numbers are written: the language chosen here, the date order chosen by the clinic. */
export function useFormatContext(): FormatContext {
  const { i18n } = useTranslation();
  const { dateOrder } = useClinicSettings();
  const locale = localeSchema.catch('en').parse(i18n.language);
  return { locale, dateOrder };
}
