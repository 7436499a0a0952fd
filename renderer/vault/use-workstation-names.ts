import { useQuery } from '@tanstack/react-query';
import { phiKey, useData, useVaultState } from '../data-client/DataContext';

/** Under the decrypted-data prefix: dropped at lock, refetched when records change (a workstation's record arriving by sync). */
export const workstationNamesKey = [phiKey, 'workstation-names'] as const;

const none: Readonly<Record<string, string>> = {};

/** The clinic's workstation names by workstation id; none until loaded (screens then show the id). */
export function useWorkstationNames(): Readonly<Record<string, string>> {
  const data = useData();
  const unlocked = useVaultState().status === 'unlocked';
  return useQuery({ queryKey: workstationNamesKey, queryFn: () => data.call('workstations.names', {}), enabled: unlocked }).data ?? none;
}
