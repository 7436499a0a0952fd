import type { TFunction } from 'i18next';
import { AccessDeniedError } from '../app/auth/roles';
import { ApiError } from '../app/contract/errors';
import { SealError } from '../app/crypto/seal';
import { StoreError } from './store/store-error';

/** Plain words for any failure a screen shows; never the raw error text. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) return t(`errors.${error.code}`);
  if (error instanceof StoreError) return t(`store.errors.${error.code}`);
  if (error instanceof AccessDeniedError) return t('store.errors.forbidden');
  if (error instanceof SealError) return t('store.errors.tampered');
  return t('errors.unexpected');
}
