/**
 * Ends the current task and goes on in a new one: a long piece of work that
 * awaits this now and then lets the thread's other work in between (a
 * keystroke on the screens' thread, a search call in the data worker).
 * A timer, not a microtask: awaiting a resolved promise would not let them in.
 */
export const giveWay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
