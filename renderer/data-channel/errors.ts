import { z } from 'zod';
import { AccessDeniedError, permissions, roles } from '../../app/auth/roles';
import { ApiError, apiErrorSchema } from '../../app/contract/errors';
import { SealError } from '../../app/crypto/seal';
import { EnrollmentCodeError } from '../../app/enrollment/enrollment-code';
import { StoreError, storeErrorCodes } from '../store/store-error';

/**
 * Failures cross the worker boundary as data and become the same classes on
 * the other side, so a screen's `errorText` says the same plain words it
 * said when the store ran beside it. Only codes and messages built without
 * patient data cross (each class guarantees that of its message); anything
 * else becomes `unexpected`, its text left behind.
 */
const wireErrorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('store'), code: z.enum(storeErrorCodes), message: z.string().max(2000), fields: z.record(z.string(), z.string().max(200)) }).strict(),
  z.object({ kind: z.literal('api'), error: apiErrorSchema }).strict(),
  z.object({ kind: z.literal('access-denied'), role: z.enum(roles), permission: z.enum(permissions), reason: z.enum(['not-permitted', 'disabled']) }).strict(),
  z.object({ kind: z.literal('seal'), code: z.enum(['tampered', 'malformed']), what: z.string().max(200) }).strict(),
  z.object({ kind: z.literal('enrollment-code'), code: z.enum(['not_a_code', 'old_code', 'wrong_code', 'malformed_wrap']), message: z.string().max(2000) }).strict(),
  z.object({ kind: z.literal('unexpected') }).strict(),
]);
export type WireError = z.infer<typeof wireErrorSchema>;

export function toWire(error: unknown): WireError {
  if (error instanceof StoreError) return { kind: 'store', code: error.code, message: error.message, fields: { ...error.fields } };
  if (error instanceof ApiError) return { kind: 'api', error: { code: error.code, message: error.message } };
  if (error instanceof AccessDeniedError) return { kind: 'access-denied', role: error.role, permission: error.permission, reason: error.reason };
  if (error instanceof SealError) return { kind: 'seal', code: error.code, what: error.what };
  if (error instanceof EnrollmentCodeError) return { kind: 'enrollment-code', code: error.code, message: error.message };
  return { kind: 'unexpected' };
}

/** Thrown for a failure the worker did not describe (or described off-contract): the screens say "something unexpected happened". */
export class UnexpectedDataError extends Error {
  constructor() {
    super('The data service failed unexpectedly.');
    this.name = 'UnexpectedDataError';
  }
}

export function fromWire(raw: unknown): Error {
  const wire = wireErrorSchema.safeParse(raw);
  if (!wire.success) return new UnexpectedDataError();
  const error = wire.data;
  switch (error.kind) {
    case 'store':
      return new StoreError(error.code, error.message, error.fields);
    case 'api':
      return new ApiError(error.error);
    case 'access-denied':
      return new AccessDeniedError(error.role, error.permission, error.reason);
    case 'seal':
      return new SealError(error.code, error.what);
    case 'enrollment-code':
      return new EnrollmentCodeError(error.code, error.message);
    case 'unexpected':
      return new UnexpectedDataError();
  }
}
