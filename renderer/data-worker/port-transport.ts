import { ApiError } from '../../app/contract/errors';
import { limits, responseSchema, type RequestEnvelope } from '../../app/contract/envelope';
import type { Transport } from '../../app/contract/client';

/**
 * Electron's transport for the data worker: a MessagePort whose other end the
 * preload handed to the main process (main/ipc/data-port.ts). The worker
 * cannot see the preload's bridge, so this is its own line. Answers are
 * matched to requests by id; a port never closes while the window lives.
 */
export function createPortTransport(port: MessagePort): Transport {
  const pending = new Map<string, { resolve: (value: unknown) => void }>();
  port.onmessage = (event: MessageEvent) => {
    const response = responseSchema.safeParse(event.data);
    if (!response.success || response.data.id === null) return;
    const call = pending.get(response.data.id);
    pending.delete(response.data.id);
    call?.resolve(event.data);
  };
  port.start();
  return {
    kind: 'ipc',
    send(request: RequestEnvelope) {
      if (new TextEncoder().encode(JSON.stringify(request)).length > limits.maxRequestBytes) {
        return Promise.reject(new ApiError({ code: 'too_large', message: 'This request is too large to send.' }));
      }
      return new Promise((resolve) => {
        pending.set(request.id, { resolve });
        port.postMessage(request);
      });
    },
    // The main process sends the data worker no events: device events go to the screens.
    onEvent: () => () => {},
  };
}
