import { useQuery } from '@tanstack/react-query';
import { phiKey, useVault, useVaultState } from './VaultContext';

/** Under the decrypted-data prefix: dropped at lock, refetched when records change (a workstation's record arriving by sync). */
export const workstationNamesKey = [phiKey, 'workstation-names'] as const;

const none: Readonly<Record<string, string>> = {};

/** The clinic's workstation names by workstation id; none until loaded (screens then show the id). */
export function useWorkstationNames(): Readonly<Record<string, string>> {
  const vault = useVault();
  const unlocked = useVaultState().status === 'unlocked';
  return useQuery({ queryKey: workstationNamesKey, queryFn: () => vault.workstations.names(), enabled: unlocked }).data ?? none;
}
