import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ApiClient } from '../../app/contract/client';
import type { Connection } from './connect';

const ConnectionContext = createContext<Connection | null>(null);

export function ConnectionProvider({ connection, children }: { connection: Connection; children: ReactNode }) {
  return <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>;
}

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('ConnectionProvider is missing');
  return connection;
}

/** The typed client for the main process; the component never knows the transport. */
export const useApi = (): ApiClient => useConnection().client;

export function useConnectionState() {
  const connection = useConnection();
  return useSyncExternalStore(connection.subscribe, connection.state);
}
