import { useQuery } from '@tanstack/react-query';
import { phiKey, useData } from '../../data-client/DataContext';

/** Under the decrypted-data prefix: dropped at lock, refetched when records change (a conflict arriving by sync). */
export const conflictsKey = (patientId?: string) => (patientId ? [phiKey, 'conflicts', patientId] : [phiKey, 'conflicts']);

/** Open conflicts (of one patient when given); `enabled` false while nobody who may read patients is logged in. */
export function useConflicts(patientId?: string, enabled = true) {
  const data = useData();
  return useQuery({ queryKey: conflictsKey(patientId), queryFn: () => data.call('conflicts.list', patientId === undefined ? {} : { patientId }), enabled });
}
