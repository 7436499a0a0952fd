import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingsPatch } from '../../app/settings/settings';
import { useApi, useConnectionState } from './ApiContext';
import { queryKeys } from './query-keys';

/** The workstation settings, loaded once the service is connected. */
export function useSettings() {
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.call('settings.get', {}), enabled: connected });
}

/** Saves a settings change; every reader sees the saved result at once. */
export function useUpdateSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => api.call('settings.update', patch),
    onSuccess: (next) => queryClient.setQueryData(queryKeys.settings, next),
  });
}
