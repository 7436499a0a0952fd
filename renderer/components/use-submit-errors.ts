import { useCallback, useState } from 'react';
import type { TFunction } from 'i18next';

/**
 * Field errors found when a form is submitted (i18n keys by field), each
 * shown at its field until that field is edited. Checking at submit, not
 * while typing, marks every missing field of an empty form at once and
 * leaves a form being filled in alone.
 */
export function useSubmitErrors() {
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const check = useCallback((found: Record<string, string>): boolean => {
    setErrors(found);
    return Object.keys(found).length === 0;
  }, []);
  const clear = useCallback((field: string) => {
    setErrors((current) => {
      if (!(field in current)) return current;
      const rest = { ...current };
      delete rest[field];
      return rest;
    });
  }, []);
  const reset = useCallback(() => setErrors({}), []);
  const message = (t: TFunction, field: string): string | undefined => {
    const key = errors[field];
    return key === undefined ? undefined : t(key);
  };
  return { errors, check, clear, reset, message };
}
