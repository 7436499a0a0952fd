import { z } from 'zod';
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

/** What the Electron preload exposes on `window.clinicBridge`. */
export interface ClinicBridge {
  /** Sends one request envelope to the main process and resolves with its response envelope. */
  invoke(request: RequestEnvelope): Promise<unknown>;
  /** Follows what the main process reports unasked (device events); returns how to stop. */
  onEvent(listener: (envelope: unknown) => void): () => void;
}

/** The one Electron IPC channel the contract travels on. */
export const ipcChannel = 'clinic:api';
