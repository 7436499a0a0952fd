import { createApiClient, type ApiClient } from '../../app/contract/client';
import { dataPortChannel, type ClinicBridge } from '../../app/contract/envelope';
import type { MainConnection } from '../data-channel/messages';
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
  /** A line of its own to the main process for the data worker (it sees neither the preload's bridge nor this tab's storage). */
  lineForWorker(): Promise<MainConnection>;
  /** Browser mode: a new launch token was pasted into the address (the host restarted). */
  onToken(listener: (token: string) => void): () => void;
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
  const bridge = window.clinicBridge;
  if (bridge) {
    return {
      client: createApiClient(createIpcTransport(bridge)),
      state: () => 'connected',
      subscribe: () => () => {},
      lineForWorker: () => openDataPort(bridge),
      onToken: () => () => {},
    };
  }
  const url = webSocketUrl(window.location);
  const transport = createWebSocketTransport(url, takeTokenFromAddress() ?? sessionStorage.getItem(tokenKey) ?? '');
  const tokenListeners = new Set<(token: string) => void>();
  // Pasting the address a restarted host printed into this tab reconnects it.
  window.addEventListener('hashchange', () => {
    const token = takeTokenFromAddress();
    if (!token) return;
    transport.useToken(token);
    for (const listener of tokenListeners) listener(token);
  });
  return {
    client: createApiClient(transport),
    state: () => transport.state,
    subscribe: (l) => transport.subscribe(l),
    lineForWorker: () => Promise.resolve({ kind: 'websocket', url, token: sessionStorage.getItem(tokenKey) ?? '' }),
    onToken(listener) {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
  };
}

/** Asks the preload for a port to the main process and takes it from the message it posts to this page. */
function openDataPort(bridge: ClinicBridge): Promise<MainConnection> {
  return new Promise((resolve) => {
    const take = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (event.source !== window || typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== dataPortChannel) return;
      const [port] = event.ports;
      if (!port) return;
      window.removeEventListener('message', take);
      resolve({ kind: 'port', port });
    };
    window.addEventListener('message', take);
    bridge.openDataPort();
  });
}
