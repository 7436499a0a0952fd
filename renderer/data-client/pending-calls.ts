import { dataApi, type DataMethod } from '../../app/contract/data-api';
import { fromWire, UnexpectedDataError } from '../data-channel/errors';
import type { FromWorker } from '../data-channel/messages';

/** A call sent to the worker, waiting for its answer. */
export interface PendingCall {
  method: DataMethod;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (done: number, total: number) => void;
}

/** The calls in flight, by the id each was sent under. */
export interface PendingCalls {
  /** The id to send the call under. */
  add(call: PendingCall): number;
  progress(id: number, done: number, total: number): void;
  /** An answer that is off the contract fails its call: the screens only ever see what the contract declares. */
  settle(answer: Extract<FromWorker, { kind: 'result' | 'failure' }>): void;
  /** A call that could not be sent fails with `error`. */
  fail(id: number, error: Error): void;
  /** The worker stopped: no answer will come, so every call in flight fails, each with its own error from `makeError`. */
  failAll(makeError: () => Error): void;
}

export function createPendingCalls(): PendingCalls {
  let nextId = 1;
  const pending = new Map<number, PendingCall>();
  return {
    add(call: PendingCall): number {
      const id = nextId++;
      pending.set(id, call);
      return id;
    },
    progress(id: number, done: number, total: number): void {
      pending.get(id)?.onProgress?.(done, total);
    },
    settle(answer: Extract<FromWorker, { kind: 'result' | 'failure' }>): void {
      const call = pending.get(answer.id);
      if (!call) return;
      pending.delete(answer.id);
      if (answer.kind === 'failure') return call.reject(fromWire(answer.error));
      const result = dataApi[call.method].result.safeParse(answer.value);
      if (result.success) call.resolve(result.data);
      else call.reject(new UnexpectedDataError());
    },
    fail(id: number, error: Error): void {
      const call = pending.get(id);
      pending.delete(id);
      call?.reject(error);
    },
    failAll(makeError: () => Error): void {
      for (const call of pending.values()) call.reject(makeError());
      pending.clear();
    },
  };
}
