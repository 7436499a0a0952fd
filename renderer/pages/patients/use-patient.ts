import { useQuery } from '@tanstack/react-query';
import { phiKey, useData } from '../../data-client/DataContext';

/** One patient's record, as every screen about them reads it (one cache entry per patient, dropped at lock with the rest of `phiKey`). */
export function usePatient(id: string, options: { retry?: boolean } = {}) {
  const data = useData();
  return useQuery({ queryKey: [phiKey, 'patient', id], queryFn: () => data.call('patients.get', { id }), ...options });
}
