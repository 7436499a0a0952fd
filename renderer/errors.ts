import type { TFunction } from 'i18next';
import { ApiError } from '../app/contract/errors';

/** Plain words for any failure a screen shows; never the raw error text. */
export function errorText(t: TFunction, error: unknown): string {
  return error instanceof ApiError ? t(`errors.${error.code}`) : t('errors.unexpected');
}
