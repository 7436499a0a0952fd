import { z } from 'zod';

/**
 * Every failure that crosses the main/renderer boundary is one of these codes.
 * The UI maps a code to plain words for the user; `message` is for support staff
 * and must never carry PHI, so it is built from schema paths, never from values.
 */
export const errorCodes = [
  'bad_request', // not JSON, not an envelope, or params failing the method's schema
  'unknown_method',
  'too_large',
  'unauthorized', // missing or wrong launch token, or a message from a foreign frame
  'rate_limited',
  'unavailable', // what was asked for is not there now (a device unplugged); the message says what
  'internal', // a handler failed; nothing was written (handlers write atomically)
  'transport_closed', // client side: the host went away before answering
  'timeout', // client side: no answer in time
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string().max(2000),
});
export type ApiErrorPayload = z.infer<typeof apiErrorSchema>;

/** Thrown by the typed client so callers can `catch` and branch on `code`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.code = payload.code;
  }
}
