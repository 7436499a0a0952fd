/**
 * A binary min-heap of vertices keyed by a number, with decrease and
 * increase of a vertex's key, in typed arrays sized once for the graph: the
 * searches run thousands of times a second and must not allocate. Both the
 * contraction (priorities) and the queries (distances) use it.
 */
export class VertexHeap {
  private readonly items: Uint32Array;
  private readonly keys: Float64Array;
  /** Where each vertex sits in `items`, or -1 when it is not in the heap. */
  private readonly position: Int32Array;
  private count = 0;

  constructor(vertexCount: number) {
    this.items = new Uint32Array(vertexCount);
    this.keys = new Float64Array(vertexCount);
    this.position = new Int32Array(vertexCount).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(vertex: number): boolean {
    return this.position[vertex]! >= 0;
  }

  /** The smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.count === 0 ? Infinity : this.keys[this.items[0]!]!;
  }

  /** Inserts the vertex, or moves it to its new key. */
  set(vertex: number, key: number): void {
    const at = this.position[vertex]!;
    if (at < 0) {
      this.keys[vertex] = key;
      this.items[this.count] = vertex;
      this.position[vertex] = this.count;
      this.up(this.count++);
    } else {
      const before = this.keys[vertex]!;
      this.keys[vertex] = key;
      if (key < before) this.up(at);
      else this.down(at);
    }
  }

  /** Removes and returns the vertex with the smallest key; the heap must not be empty. */
  pop(): number {
    const top = this.items[0]!;
    this.position[top] = -1;
    const last = this.items[--this.count]!;
    if (this.count > 0) {
      this.items[0] = last;
      this.position[last] = 0;
      this.down(0);
    }
    return top;
  }

  /** Empties the heap in time proportional to what it holds. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.position[this.items[i]!] = -1;
    this.count = 0;
  }

  private up(at: number): void {
    const { items, keys, position } = this;
    const vertex = items[at]!;
    const key = keys[vertex]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = items[parentAt]!;
      if (keys[parent]! <= key) break;
      items[at] = parent;
      position[parent] = at;
      at = parentAt;
    }
    items[at] = vertex;
    position[vertex] = at;
  }

  private down(at: number): void {
    const { items, keys, position } = this;
    const vertex = items[at]!;
    const key = keys[vertex]!;
    const half = this.count >> 1;
    while (at < half) {
      let childAt = 2 * at + 1;
      const right = childAt + 1;
      if (right < this.count && keys[items[right]!]! < keys[items[childAt]!]!) childAt = right;
      const child = items[childAt]!;
      if (keys[child]! >= key) break;
      items[at] = child;
      position[child] = at;
      at = childAt;
    }
    items[at] = vertex;
    position[vertex] = at;
  }
}
