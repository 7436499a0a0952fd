import { dataApi, isDataMethod, type DataEvent, type DataTopic } from '../../app/contract/data-api';
import { toWire } from '../data-channel/errors';
import type { FromWorker } from '../data-channel/messages';
import type { DataHandlers } from './data-handlers';

/**
 * Answers one call of the data contract: params checked against the method's
 * schema before a handler sees them (the screens check results against theirs
 * as they arrive), failures sent as data (data-channel/errors.ts).
 */
export async function answerCall(handlers: DataHandlers, id: number, method: string, params: unknown, post: (message: FromWorker) => void): Promise<void> {
  try {
    if (!isDataMethod(method)) throw new Error('unknown data method');
    const declared = dataApi[method];
    const parsed = declared.params.safeParse(params);
    if (!parsed.success) throw new Error('params off the data contract');
    const handler = handlers[method] as (params: unknown, context: { progress(done: number, total: number): void }) => unknown;
    const progress = (done: number, total: number) => {
      if (declared.progress) post({ kind: 'progress', id, done, total });
    };
    post({ kind: 'result', id, value: await handler(parsed.data, { progress }) });
  } catch (error) {
    post({ kind: 'failure', id, error: toWire(error) });
  }
}

/** An event of a declared topic (checked against its schema where it arrives). */
export const eventMessage = <T extends DataTopic>(topic: T, payload: DataEvent<T>): FromWorker => ({ kind: 'event', topic, payload });
