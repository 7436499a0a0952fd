import type { Transport } from '../../app/contract/client';
import type { ClinicBridge } from '../../app/contract/envelope';

/** Electron's transport: the preload's one-function bridge. */
export function createIpcTransport(bridge: ClinicBridge): Transport {
  return { kind: 'ipc', send: (request) => bridge.invoke(request), onEvent: (listener) => bridge.onEvent(listener) };
}
