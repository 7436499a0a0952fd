import { z } from 'zod';
import { api, type MethodName, type ParamsOf, type ResultOf } from './api';
import { ApiError } from './errors';
import { eventEnvelopeSchema, type DeviceEvent } from './device-events';
import { responseSchema, type RequestEnvelope } from './envelope';

/** A transport only moves envelopes; it knows nothing of methods. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  send(request: RequestEnvelope): Promise<unknown>;
  /** Raw event envelopes as they arrive. */
  onEvent(listener: (envelope: unknown) => void): () => void;
}

/**
 * What a listener hears in place of an event that broke the contract. Its
 * content is not trusted, so none of it is passed on (nor logged: it may hold
 * patient readings); but it is not dropped in silence either, since it may
 * have carried readings the nurse is waiting for. `sessionId` is the session
 * it named, when it named one plainly.
 */
export interface UnreadableEvent {
  event: 'unreadable';
  sessionId?: string;
  message: string;
}
export type ClientDeviceEvent = DeviceEvent | UnreadableEvent;

export const unreadableEventMessage =
  "A message from the device service could not be read; the device's readings may be incomplete. Download again.";

/** Just enough of an envelope to tell which session an unreadable event was about. */
const namedSession = z.object({ payload: z.object({ sessionId: z.string().min(1).max(64) }) });

export interface ApiClient {
  readonly transport: Transport['kind'];
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Device events, validated; an off-contract event is never trusted, and is reported as `unreadable`. */
  subscribe(listener: (event: ClientDeviceEvent) => void): () => void;
}

let counter = 0;
const nextId = (): string => `${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * The renderer's one way to reach the main process. Answers are validated
 * against the contract too: a host that answers off-contract is an error the
 * caller sees, never data the UI trusts.
 */
export function createApiClient(transport: Transport): ApiClient {
  return {
    transport: transport.kind,
    async call(method, params) {
      const request: RequestEnvelope = { id: nextId(), method, params };
      const raw = await transport.send(request);
      const response = responseSchema.safeParse(raw);
      if (!response.success || (response.data.id !== null && response.data.id !== request.id)) {
        throw new ApiError({ code: 'internal', message: `The workstation service answered ${method} in an unexpected form.` });
      }
      if (!response.data.ok) throw new ApiError(response.data.error);
      const result = api[method].result.safeParse(response.data.result);
      if (!result.success) {
        throw new ApiError({ code: 'internal', message: `The workstation service answered ${method} with data that breaks the contract.` });
      }
      return result.data as ResultOf<typeof method>;
    },
    subscribe(listener) {
      return transport.onEvent((raw) => {
        const envelope = eventEnvelopeSchema.safeParse(raw);
        if (envelope.success) {
          listener(envelope.data.payload);
          return;
        }
        const sessionId = namedSession.safeParse(raw).data?.payload.sessionId;
        listener({ event: 'unreadable', sessionId, message: unreadableEventMessage });
      });
    },
  };
}
