import type { DataEvent, DataMethod, DataParams, DataResult, DataTopic, LockReason, VaultState } from '../../app/contract/data-api';
import { fromWorkerSchema, type MainConnection, type ToWorker } from '../data-channel/messages';
import { createLatestEvents } from './latest-events';
import { createCallSender } from './call-sender';
import { createPendingCalls } from './pending-calls';

/** What the client needs of a Worker (tests give it a stand-in on a MessageChannel). */
export interface WorkerEndpoint {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** starting: no state from the worker yet; ready: it answers; unavailable: its store did not open; stopped: it died or stopped answering. */
export type WorkerHealth = 'starting' | 'ready' | 'unavailable' | 'stopped';

export interface CallOptions {
  /** For methods declared with progress (a first unlock opening every record). */
  onProgress?(done: number, total: number): void;
}

/** The screens' side of the data contract. */
export interface DataClient {
  call<M extends DataMethod>(method: M, params: DataParams<M>, options?: CallOptions): Promise<DataResult<M>>;
  /** Follows one topic; the latest value of a topic is kept (`latest`), so a late subscriber starts from it. */
  on<T extends DataTopic>(topic: T, listener: (payload: DataEvent<T>) => void): () => void;
  latest<T extends DataTopic>(topic: T): DataEvent<T> | undefined;
  /**
   * Locks at once: the screens take the locked state now, before the worker
   * has answered (it drops the key and audits the lock meanwhile), so nothing
   * of the page stays in view, and nothing typed next lands on it.
   */
  lock(reason: LockReason): Promise<void>;
  readonly health: WorkerHealth;
  onHealth(listener: (health: WorkerHealth) => void): () => void;
  /** Browser mode: passes a new launch token on to the worker. */
  useToken(token: string): void;
  /** Ends the worker (and with it the key it held). */
  close(): void;
}

/**
 * Resolves once the worker holding the named Web Lock has ended: the lock is
 * released however a worker ends (an error, `close()`, the browser killing it),
 * with no clock involved, so neither a busy worker nor a suspended laptop
 * looks dead. Without Web Locks, only a worker's errors are noticed.
 */
export type WhenGone = (lifeLock: string) => Promise<void>;
const whenLockFree: WhenGone = (name) =>
  typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks.request(name, () => undefined).then(() => undefined) : new Promise<void>(() => undefined);

/** Thrown to a call in flight when the worker stopped: whether it was saved is not known, so the words say to check. */
export class DataServiceStoppedError extends Error {
  constructor() {
    super('The data service stopped before it answered.');
    this.name = 'DataServiceStoppedError';
  }
}

/**
 * Starts the conversation with a data worker: the first message carries the
 * line to the main process; every answer and event is checked against the
 * contract as it arrives (an off-contract answer fails its call, an
 * off-contract event is dropped). A worker that throws or ends is stopped
 * for good: its calls fail, `health` says `stopped`, and the screens lock and
 * say so; the caller starts a new one.
 */
export function createDataClient(worker: WorkerEndpoint, connection: MainConnection, whenGone: WhenGone = whenLockFree): DataClient {
  let health: WorkerHealth = 'starting';
  const lifeLock = `clinic-data-worker-${crypto.randomUUID()}`;
  const calls = createPendingCalls();
  const events = createLatestEvents();
  const healthListeners = new Set<(health: WorkerHealth) => void>();

  const setHealth = (next: WorkerHealth) => {
    if (health === next || health === 'stopped') return;
    // The worker took its lock before it told its first state: from now on, the lock coming free means it ended.
    if (health === 'starting' && next === 'ready') void whenGone(lifeLock).then(stop);
    health = next;
    for (const listener of healthListeners) listener(next);
  };

  function stop(): void {
    if (health === 'stopped') return;
    worker.terminate();
    calls.failAll(() => new DataServiceStoppedError());
    setHealth('stopped');
  }

  function receive(raw: unknown): void {
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.kind) {
      case 'unavailable':
        setHealth('unavailable');
        return;
      case 'event': {
        const event = events.check(message.topic, message.payload);
        if (!event) return;
        if (event.topic === 'state') setHealth('ready');
        events.deliver(event.topic, event.payload);
        return;
      }
      case 'progress':
        calls.progress(message.id, message.done, message.total);
        return;
      case 'result':
      case 'failure':
        calls.settle(message);
    }
  }

  const send = createCallSender({
    post: (message) => worker.postMessage(message),
    stopped: () => health === 'stopped',
    fail: (id, error) => calls.fail(id, error),
  });

  worker.onmessage = (event) => receive(event.data);
  // An uncaught error leaves the worker in a state nobody can vouch for: it is ended, not trusted further.
  worker.onerror = () => stop();
  worker.postMessage({ kind: 'start', connection, lifeLock }, connection.kind === 'port' ? [connection.port] : []);

  return {
    call(method, params, options = {}) {
      if (health === 'stopped') return Promise.reject(new DataServiceStoppedError());
      return new Promise((resolve, reject) => {
        const id = calls.add({ method, resolve, reject, onProgress: options.onProgress?.bind(options) });
        send(id, method, params);
      });
    },
    on: (topic, listener) => events.on(topic, listener),
    latest: (topic) => events.latest(topic),
    get health() {
      return health;
    },
    onHealth(listener) {
      healthListeners.add(listener);
      return () => healthListeners.delete(listener);
    },
    useToken: (token) => worker.postMessage({ kind: 'token', token }),
    async lock(reason) {
      const state = events.latest('state');
      if (state?.status === 'unlocked') events.deliver('state', { status: 'locked', clinicName: state.clinicName, reason } satisfies VaultState);
      await this.call('vault.lock', { reason });
    },
    close: stop,
  };
}
