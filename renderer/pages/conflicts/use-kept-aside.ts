import { useQuery } from '@tanstack/react-query';
import { phiKey, useData } from '../../data-client/DataContext';

/** Under the decrypted-data prefix, so it is dropped at lock with everything a session read. */
export const keptAsideKey = [phiKey, 'kept-aside'] as const;
/**
 * Arrivals are kept aside by sync without changing any record (the local
 * version stays), so no change event says so: the list is asked for again now and then.
 */
const refreshMs = 30_000;

/** Arrivals from the hub that did not open, kept aside (renderer/store/kept-aside.ts); `enabled` only for a role with `sync.review`. */
export function useKeptAside(enabled: boolean) {
  const data = useData();
  return useQuery({ queryKey: keptAsideKey, queryFn: () => data.call('keptAside.list', {}), enabled, refetchInterval: refreshMs });
}
