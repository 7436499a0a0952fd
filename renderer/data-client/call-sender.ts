import type { DataMethod } from '../../app/contract/data-api';
import type { ToWorker } from '../data-channel/messages';
import { paramsText } from './params-text';

export interface CallSenderOptions {
  post: (message: Extract<ToWorker, { kind: 'call' }>) => void;
  /** The worker stopped: its calls have failed already, nothing more is sent. */
  stopped: () => boolean;
  fail: (id: number, error: Error) => void;
}

/**
 * Sends calls to the worker in the order they were made, also while a long
 * params text is still being written (readings confirmed, then Lock pressed:
 * the readings go first). A call whose params cannot be written fails.
 */
export function createCallSender({ post, stopped, fail }: CallSenderOptions): (id: number, method: DataMethod, params: unknown) => void {
  let writing: Promise<void> | undefined;
  return (id, method, params) => {
    const failed = (error: unknown) => fail(id, error instanceof Error ? error : new Error(String(error)));
    let text: string | Promise<string>;
    try {
      text = paramsText(params);
    } catch (error) {
      return failed(error);
    }
    if (typeof text === 'string' && writing === undefined) return post({ kind: 'call', id, method, params: text });
    const sendWritten = (written: string) => {
      if (!stopped()) post({ kind: 'call', id, method, params: written });
    };
    const mine = (writing ?? Promise.resolve()).then(() => text).then(sendWritten, failed);
    writing = mine;
    void mine.then(() => {
      if (writing === mine) writing = undefined;
    });
  };
}
