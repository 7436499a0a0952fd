import type { TFunction } from 'i18next';
import { AccessDeniedError } from '../app/auth/roles';
import { ApiError } from '../app/contract/errors';
import { SealError } from '../app/crypto/seal';
import { EnrollmentCodeError } from '../app/enrollment/enrollment-code';
import { DataServiceStoppedError } from './data-client/data-client';
import { StoreError } from './store/store-error';

/** Plain words for any failure a screen shows; never the raw error text. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) return t(`errors.${error.code}`);
  if (error instanceof StoreError) return t(`store.errors.${error.code}`);
  if (error instanceof AccessDeniedError) return t('store.errors.forbidden');
  if (error instanceof SealError) return t('store.errors.tampered');
  if (error instanceof EnrollmentCodeError) return t(`sync.errors.${error.code}`);
  if (error instanceof DataServiceStoppedError) return t('store.errors.dataServiceStopped');
  return t('errors.unexpected');
}

/**
 * Plain words for a failure of a hub operation (joining, connecting, issuing a
 * code) or of an export's files. The main process's hub link and export files
 * say what went wrong in plain words (the hub cannot be reached, refused the
 * code, the address is not one; no folder was chosen, an export's folder is
 * gone), and never with patient data, so those are shown as they are; the
 * forms check their fields first, so a request that fails the contract's
 * schema (whose message names schema paths) does not happen from them.
 */
export function serviceErrorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && (error.code === 'unavailable' || error.code === 'bad_request')) return error.message;
  const fieldKey = error instanceof StoreError && error.code === 'invalid' ? error.fields.code : undefined;
  if (fieldKey) return t(fieldKey);
  return errorText(t, error);
}
