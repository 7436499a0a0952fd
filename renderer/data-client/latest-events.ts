import { dataEvents, type DataEvent, type DataTopic } from '../../app/contract/data-api';

/** The worker's events by topic, each topic's latest kept so a late subscriber starts from it. */
export interface LatestEvents {
  /** The event as the contract declares it, or undefined for one off the contract, which is dropped. */
  check(topic: string, payload: unknown): { topic: DataTopic; payload: unknown } | undefined;
  /** Keeps `payload` as the topic's latest and hands it to the topic's listeners: only what `check` passed, or the client's own. */
  deliver(topic: DataTopic, payload: unknown): void;
  on<T extends DataTopic>(topic: T, listener: (payload: DataEvent<T>) => void): () => void;
  latest<T extends DataTopic>(topic: T): DataEvent<T> | undefined;
}

export function createLatestEvents(): LatestEvents {
  const listeners = new Map<DataTopic, Set<(payload: never) => void>>();
  const latest = new Map<DataTopic, unknown>();
  return {
    check(topic: string, payload: unknown): { topic: DataTopic; payload: unknown } | undefined {
      const schema = Object.hasOwn(dataEvents, topic) ? dataEvents[topic as DataTopic] : undefined;
      const parsed = schema?.safeParse(payload);
      return parsed?.success ? { topic: topic as DataTopic, payload: parsed.data } : undefined;
    },
    deliver(topic: DataTopic, payload: unknown): void {
      latest.set(topic, payload);
      for (const listener of listeners.get(topic) ?? []) (listener as (p: unknown) => void)(payload);
    },
    on(topic, listener) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    latest: <T extends DataTopic>(topic: T) => latest.get(topic) as DataEvent<T> | undefined,
  };
}
