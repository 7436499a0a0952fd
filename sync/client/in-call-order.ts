/**
 * `fn` made to resolve in the order it was called: each call starts at once
 * (the work still runs side by side), but its promise settles only after
 * every earlier call's has, and a failed call does not hold the later ones.
 * collection-replication.ts says why the pull needs it.
 */
export function inCallOrder<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let settledBefore: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const mine = fn(...args);
    settledBefore = Promise.all([settledBefore, mine.catch(() => undefined)]);
    return settledBefore.then(() => mine);
  };
}
