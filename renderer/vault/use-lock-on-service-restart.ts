import { useEffect } from 'react';
import { useConnectionState } from '../api/ApiContext';
import { useData } from '../data-client/DataContext';

/**
 * When the workstation service restarts, it makes a new launch token and this
 * page's link no longer opens it (the connection says `unauthorized`). A page
 * left open then must stop showing patient data: it locks, and the lock
 * screen says to open the address the service printed and unlock again.
 */
export function useLockOnServiceRestart(): void {
  const connection = useConnectionState();
  const data = useData();
  useEffect(() => {
    if (connection === 'unauthorized') void data.lock('service-restart');
  }, [connection, data]);
}
