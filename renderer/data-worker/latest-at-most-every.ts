/**
 * Passes a stream of states on at most once per `ms`: the first at once, and
 * at the end of each interval the newest that came meanwhile, so the last
 * state always arrives. The sync status changes with every document a first
 * pull brings (100,000 of them): the screens need the count a few times a
 * second, not 100,000 messages to check.
 */
export function latestAtMostEvery<T>(ms: number, pass: (value: T) => void): { (value: T): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiting: { value: T } | undefined;
  const flush = () => {
    timer = undefined;
    if (!waiting) return;
    const { value } = waiting;
    waiting = undefined;
    pass(value);
    timer = setTimeout(flush, ms);
  };
  const send = (value: T) => {
    waiting = { value };
    if (timer === undefined) flush();
  };
  send.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    waiting = undefined;
  };
  return send;
}
