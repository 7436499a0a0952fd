import { z } from 'zod';

/**
 * The envelopes between the screens and the data worker (postMessage, so
 * structured clones). The method and topic names and their schemas are the
 * contract in app/contract/data-api.ts; these only carry them.
 */

const callId = z.number().int().nonnegative();

/** How the worker reaches the main process: Electron's preload hands a port; browser mode names the host's WebSocket and its launch token. */
export type MainConnection = { kind: 'port'; port: MessagePort } | { kind: 'websocket'; url: string; token: string };

export type ToWorker =
  /**
   * The first message: everything the worker cannot see for itself (the
   * preload's bridge, session storage), and the name of the Web Lock it holds
   * for as long as it lives, which is how the page learns that it died.
   */
  | { kind: 'start'; connection: MainConnection; lifeLock: string }
  /** Browser mode: the host restarted with a new launch token, pasted into the page's address. */
  | { kind: 'token'; token: string }
  /** `params` as JSON text (data-client.ts says why). */
  | { kind: 'call'; id: number; method: string; params: string };

export const fromWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), id: callId, value: z.unknown() }).strict(),
  z.object({ kind: z.literal('failure'), id: callId, error: z.unknown() }).strict(),
  z.object({ kind: z.literal('progress'), id: callId, done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).strict(),
  z.object({ kind: z.literal('event'), topic: z.string().max(64), payload: z.unknown() }).strict(),
  /** The store did not open: the worker cannot serve anything. */
  z.object({ kind: z.literal('unavailable'), reason: z.enum(['store-open-failed']) }).strict(),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/** A ToWorker message as the worker receives it: checked before anything is done with it. */
export const toWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('start'),
    connection: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('port'), port: z.custom<MessagePort>((value) => typeof MessagePort !== 'undefined' && value instanceof MessagePort) }).strict(),
      z.object({ kind: z.literal('websocket'), url: z.string().max(500), token: z.string().max(200) }).strict(),
    ]),
    lifeLock: z.string().min(1).max(100),
  }).strict(),
  z.object({ kind: z.literal('token'), token: z.string().max(200) }).strict(),
  z.object({ kind: z.literal('call'), id: callId, method: z.string().max(64), params: z.string() }).strict(),
]);
