import type { z } from 'zod';
import { api, isMethodName, type Api, type MethodName, type ResultOf, type TransportKind } from '../../app/contract/api';
import { ApiError, type ApiErrorPayload, type ErrorCode } from '../../app/contract/errors';
import { limits, requestIdSchema, requestSchema, type ResponseEnvelope } from '../../app/contract/envelope';
import type { Logger } from '../../app/log/logger';

export interface CallContext {
  readonly transport: TransportKind;
}

export type Handlers = {
  [M in MethodName]: (params: z.output<Api[M]['params']>, ctx: CallContext) => Promise<ResultOf<M>> | ResultOf<M>;
};

export interface Dispatcher {
  /** A request as text (WebSocket frames). */
  handleText(text: string, ctx: CallContext): Promise<ResponseEnvelope>;
  /** A request as a structured-clone value (Electron IPC). */
  handleValue(value: unknown, ctx: CallContext): Promise<ResponseEnvelope>;
}

export const fail = (id: string | null, code: ErrorCode, message: string): ResponseEnvelope => ({
  id,
  ok: false,
  error: { code, message } satisfies ApiErrorPayload,
});

/** Pulls an id out of a broken request so the client can match the error to its call. */
export function salvageId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = requestIdSchema.safeParse(value.id);
  return id.success ? id.data : null;
}

/** Describes schema failures by path and rule only: the offending values may be PHI. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${['params', ...issue.path.map(String)].join('.')}: ${issue.code === 'unrecognized_keys' ? 'unexpected field' : issue.message}`)
    .join('; ');
}

/**
 * Validates and routes every request, whichever transport carried it. A handler
 * only ever sees params that passed the method's schema, so a bad message can
 * never cause a partial write; a handler that throws becomes a typed `internal`
 * error and the host keeps serving.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  async function handleValue(value: unknown, ctx: CallContext): Promise<ResponseEnvelope> {
    const envelope = requestSchema.safeParse(value);
    if (!envelope.success) {
      return fail(salvageId(value), 'bad_request', 'The request is not a valid {id, method, params} message.');
    }
    const { id, method, params } = envelope.data;
    if (!isMethodName(method)) return fail(id, 'unknown_method', 'The workstation service has no such request.');
    return invoke(id, method, params, ctx);
  }

  async function invoke<M extends MethodName>(id: string, method: M, rawParams: unknown, ctx: CallContext): Promise<ResponseEnvelope> {
    const params = api[method].params.safeParse(rawParams);
    if (!params.success) return fail(id, 'bad_request', `Invalid request ${method}: ${describeIssues(params.error)}`);
    const handler = handlers[method] as (p: unknown, c: CallContext) => unknown;
    let result: unknown;
    try {
      result = await handler(params.data, ctx);
    } catch (error) {
      // A handler that knows what went wrong says so in plain words (no PHI by construction).
      if (error instanceof ApiError) return fail(id, error.code, error.message);
      log.error('handler_failed', { method, error: error instanceof Error ? error.name : typeof error });
      return fail(id, 'internal', `The workstation could not complete ${method}. Nothing was changed; please try again.`);
    }
    const checked = api[method].result.safeParse(result);
    if (!checked.success) {
      log.error('handler_result_off_contract', { method });
      return fail(id, 'internal', `The workstation could not complete ${method}.`);
    }
    return { id, ok: true, result: checked.data };
  }

  return {
    handleValue,
    async handleText(text, ctx) {
      if (Buffer.byteLength(text, 'utf8') > limits.maxRequestBytes) {
        return fail(null, 'too_large', `The request is larger than ${limits.maxRequestBytes} bytes.`);
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail(null, 'bad_request', 'The request is not valid JSON.');
      }
      return handleValue(value, ctx);
    },
  };
}
