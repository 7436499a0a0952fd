import { createApiClient, type ApiClient } from '../../app/contract/client';
import type { ClinicBridge } from '../../app/contract/envelope';
import { createIpcTransport } from './ipc-transport';
import { createWebSocketTransport, webSocketUrl, type ConnectionState } from './ws-transport';

declare global {
  interface Window {
    clinicBridge?: ClinicBridge;
  }
}

export interface Connection {
  client: ApiClient;
  /** Current link state and a way to follow it (IPC is always connected). */
  state: () => ConnectionState;
  subscribe: (listener: (state: ConnectionState) => void) => () => void;
}

const tokenKey = 'clinic.launchToken';

/** Reads the launch token from the URL fragment, keeps it for this tab, and clears it from the address bar. */
function takeTokenFromAddress(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) {
    sessionStorage.setItem(tokenKey, token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return token;
}

/**
 * Picks the transport for where the app is running: the preload bridge inside
 * Electron, otherwise the WebSocket of the host that served this page. The
 * token arrives once in the URL fragment and is kept for this tab only.
 */
export function connect(): Connection {
  if (window.clinicBridge) {
    return { client: createApiClient(createIpcTransport(window.clinicBridge)), state: () => 'connected', subscribe: () => () => {} };
  }
  const transport = createWebSocketTransport(webSocketUrl(window.location), takeTokenFromAddress() ?? sessionStorage.getItem(tokenKey) ?? '');
  // Pasting the address a restarted host printed into this tab reconnects it.
  window.addEventListener('hashchange', () => {
    const token = takeTokenFromAddress();
    if (token) transport.useToken(token);
  });
  return { client: createApiClient(transport), state: () => transport.state, subscribe: (l) => transport.subscribe(l) };
}
