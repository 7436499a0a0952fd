import { useQuery } from '@tanstack/react-query';
import { phiKey, useVault } from '../../vault/VaultContext';

/** Under the decrypted-data prefix: dropped at lock, refetched when records change (a conflict arriving by sync). */
export const conflictsKey = (patientId?: string) => (patientId ? [phiKey, 'conflicts', patientId] : [phiKey, 'conflicts']);

/** Open conflicts (of one patient when given); `enabled` false while nobody who may read patients is logged in. */
export function useConflicts(patientId?: string, enabled = true) {
  const vault = useVault();
  return useQuery({ queryKey: conflictsKey(patientId), queryFn: () => vault.conflicts.list(patientId), enabled });
}
