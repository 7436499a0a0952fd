import { z } from 'zod';
import type { EventOf, EventTopic } from './api';
import { apiErrorSchema } from './errors';

/** Limits every transport enforces before a message reaches a handler. */
export const limits = {
  /** Largest request accepted, in UTF-8 bytes of its JSON form: a batch of sealed records pushed to the hub is the largest. */
  maxRequestBytes: 4 * 1024 * 1024,
  /** Requests a single connection may burst before it is slowed down. */
  burst: 200,
  /** Sustained requests per second per connection. */
  perSecond: 100,
} as const;

export const requestIdSchema = z.string().min(1).max(64);

export const requestSchema = z
  .object({
    id: requestIdSchema,
    method: z.string().min(1).max(64),
    params: z.unknown(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof requestSchema>;

export const responseSchema = z.discriminatedUnion('ok', [
  z.object({ id: requestIdSchema, ok: z.literal(true), result: z.unknown() }).strict(),
  // id is null when the request was too broken to read its id.
  z.object({ id: requestIdSchema.nullable(), ok: z.literal(false), error: apiErrorSchema }).strict(),
]);
export type ResponseEnvelope = z.infer<typeof responseSchema>;

/**
 * How an event travels: tagged so a client tells it from an answer, and named
 * by its topic so the client checks the payload against that topic's schema
 * (`events` in api.ts).
 */
export type EventEnvelopeOf<T extends EventTopic> = { type: 'event'; topic: T; payload: EventOf<T> };
/** An envelope of any topic, as the transports carry them. */
export type EventEnvelope = { [T in EventTopic]: EventEnvelopeOf<T> }[EventTopic];

/** An event of `topic`, enveloped for either transport. */
export const eventEnvelope = <T extends EventTopic>(topic: T, payload: EventOf<T>): EventEnvelopeOf<T> => ({ type: 'event', topic, payload });

/** The shape every event envelope has, whatever its topic; the payload is checked by topic. */
export const eventEnvelopeSchema = z.object({ type: z.literal('event'), topic: z.string().min(1).max(64), payload: z.unknown() }).strict();

/** What the Electron preload exposes on `window.clinicBridge`. */
export interface ClinicBridge {
  /** Sends one request envelope to the main process and resolves with its response envelope. */
  invoke(request: RequestEnvelope): Promise<unknown>;
  /** Follows what the main process reports unasked (event envelopes of every topic); returns how to stop. */
  onEvent(listener: (envelope: unknown) => void): () => void;
  /** Opens the data worker's line to the main process (see `dataPortChannel`). */
  openDataPort(): void;
}

/** The one Electron IPC channel the contract travels on. */
export const ipcChannel = 'clinic:api';
/**
 * The data worker's own line to the main process. A worker cannot see the
 * preload's bridge, so on `openDataPort()` the preload makes a MessageChannel,
 * sends one end to the main process on this channel and posts the other to
 * the page (a `message` event whose data is `{ type: dataPortChannel }`),
 * which hands it to the worker. The contract on it is the same as on `ipcChannel`.
 */
export const dataPortChannel = 'clinic:data-port';
/** The one Electron IPC channel events travel on, main to renderer, every topic alike. */
export const ipcEventChannel = 'clinic:event';
