/** A typed array twice as long holding the same values first: how the growable arc stores make room. */
export function doubled<T extends Uint32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (length: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
