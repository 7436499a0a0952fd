import { useQuery } from '@tanstack/react-query';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';

/** This workstation's hub link as the main process keeps it (address and ids; never its secret). */
export function useHubLink() {
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  return useQuery({ queryKey: queryKeys.hubStatus, queryFn: () => api.call('hub.status', {}), enabled: connected });
}
