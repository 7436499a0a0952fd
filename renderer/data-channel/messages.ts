import { z } from 'zod';

/**
 * The envelopes between the screens and the data worker (postMessage). The
 * method and topic names and their schemas are the contract in
 * app/contract/data-api.ts; these only carry them.
 */

const callId = z.number().int().nonnegative();

export const fromWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('result'), id: callId, value: z.unknown() }).strict(),
  z.object({ kind: z.literal('failure'), id: callId, error: z.unknown() }).strict(),
  z.object({ kind: z.literal('progress'), id: callId, done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).strict(),
  z.object({ kind: z.literal('event'), topic: z.string().max(64), payload: z.unknown() }).strict(),
  /** The store did not open: the worker cannot serve anything. */
  z.object({ kind: z.literal('unavailable'), reason: z.enum(['store-open-failed']) }).strict(),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/** How the worker reaches the main process: Electron's preload hands a port; browser mode names the host's WebSocket and its launch token. */
const mainConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('port'), port: z.custom<MessagePort>((value) => typeof MessagePort !== 'undefined' && value instanceof MessagePort) }).strict(),
  z.object({ kind: z.literal('websocket'), url: z.string().max(500), token: z.string().max(200) }).strict(),
]);
export type MainConnection = z.infer<typeof mainConnectionSchema>;

/** What the page sends the worker; the worker checks each message against this before doing anything with it. */
export const toWorkerSchema = z.discriminatedUnion('kind', [
  /**
   * The first message: everything the worker cannot see for itself (the
   * preload's bridge, session storage), and the name of the Web Lock it holds
   * for as long as it lives, which is how the page learns that it died.
   */
  z.object({ kind: z.literal('start'), connection: mainConnectionSchema, lifeLock: z.string().min(1).max(100) }).strict(),
  /** Browser mode: the host restarted with a new launch token, pasted into the page's address. */
  z.object({ kind: z.literal('token'), token: z.string().max(200) }).strict(),
  /** `params` as JSON text (data-client.ts says why). */
  z.object({ kind: z.literal('call'), id: callId, method: z.string().max(64), params: z.string() }).strict(),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;
