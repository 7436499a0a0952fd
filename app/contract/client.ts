import { z } from 'zod';
import { api, events, isEventTopic, type EventOf, type EventTopic, type MethodName, type ParamsOf, type ResultOf } from './api';
import { ApiError } from './errors';
import { eventEnvelopeSchema, responseSchema, type RequestEnvelope } from './envelope';

/** A transport only moves envelopes; it knows nothing of methods or topics. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  send(request: RequestEnvelope): Promise<unknown>;
  /** Raw event envelopes as they arrive, every topic alike. */
  onEvent(listener: (envelope: unknown) => void): () => void;
}

/**
 * What a listener hears in place of an event of its topic that broke the
 * contract. Its content is not trusted, so none of it is passed on (nor
 * logged: it may hold patient readings); but it is not dropped in silence
 * either, since it may have carried readings the nurse is waiting for.
 * `runId` is the reading run it named, when it named one plainly; `message`
 * is the topic's own plain words (`events` in api.ts).
 */
export interface UnreadableEvent {
  event: 'unreadable';
  runId?: string;
  message: string;
}
/** What a listener of `topic` hears: its events, validated, or `unreadable`. */
export type ClientEventOf<T extends EventTopic> = EventOf<T> | UnreadableEvent;
export type ClientDeviceEvent = ClientEventOf<'devices'>;

/** Just enough of an envelope to tell which topic it was for. */
const namedTopic = z.object({ topic: z.string() });
/** Just enough of an envelope to tell which reading run an unreadable event was about. */
const namedRun = z.object({ payload: z.object({ runId: z.string().min(1).max(64) }) });

export interface ApiClient {
  readonly transport: Transport['kind'];
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /**
   * The events of one topic, each validated against that topic's schema. An
   * event that breaks it is never trusted, and is reported as `unreadable`;
   * so is one that names no topic this client knows, to every topic's
   * listeners, since it may have been meant for any of them.
   */
  on<T extends EventTopic>(topic: T, listener: (event: ClientEventOf<T>) => void): () => void;
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
    on(topic, listener) {
      const { payload, unreadable } = events[topic];
      return transport.onEvent((raw) => {
        const named = namedTopic.safeParse(raw).data?.topic;
        // Another known topic's event is for its own listeners, readable or not.
        if (named !== undefined && named !== topic && isEventTopic(named)) return;
        const envelope = eventEnvelopeSchema.safeParse(raw);
        const event = envelope.success && named === topic ? payload.safeParse(envelope.data.payload) : undefined;
        if (event?.success) {
          listener(event.data as EventOf<typeof topic>);
          return;
        }
        const runId = namedRun.safeParse(raw).data?.payload.runId;
        listener({ event: 'unreadable', runId, message: unreadable });
      });
    },
  };
}
