import type { WithDeleted } from 'rxdb';

/** A document without RxDB's own deletion flag, which travels beside our documents but is not part of them. */
export function withoutRxDeleted<T>(doc: WithDeleted<T> | Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...doc };
  delete copy._deleted;
  return copy as T;
}
