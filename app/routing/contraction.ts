import type { Hierarchy } from './hierarchy';
import type { Metric, RoadNetwork } from './road-network';
import { doubled } from './typed-arrays';
import { VertexHeap } from './vertex-heap';

/**
 * Builds a contraction hierarchy (hierarchy.ts) at import. Vertices are
 * contracted in order of a lazily updated priority (edge difference plus
 * contracted neighbours plus depth: the usual terms); contracting v adds a
 * shortcut u→x for a path u→v→x unless a local "witness" search finds a path
 * as short that avoids v. A witness search that gives up early only adds a
 * shortcut that was not needed, never loses a route, so the limits trade
 * import time and graph size, not correctness. Written here because no
 * contraction-hierarchy package installs on our machines (ARCHITECTURE.md).
 */

/** Vertices a witness search may settle while choosing the order (a cheap estimate) and while contracting. */
const estimateSettleLimit = 30;
const contractSettleLimit = 150;

/** Growable arc storage: the network's arcs first, then the shortcuts as they are made. */
class Arcs {
  tail: Uint32Array;
  head: Uint32Array;
  weight: Uint32Array;
  first: Uint32Array;
  second: Uint32Array;
  count: number;

  constructor(readonly networkArcs: number, network: RoadNetwork, metric: Metric) {
    const capacity = Math.max(1024, networkArcs * 2);
    this.tail = new Uint32Array(capacity);
    this.head = new Uint32Array(capacity);
    this.weight = new Uint32Array(capacity);
    this.first = new Uint32Array(capacity);
    this.second = new Uint32Array(capacity);
    this.tail.set(network.arcTail);
    this.head.set(network.arcHead);
    this.weight.set(network.weight[metric]);
    this.count = networkArcs;
  }

  add(tail: number, head: number, weight: number, first: number, second: number): number {
    if (this.count === this.tail.length) {
      for (const key of ['tail', 'head', 'weight', 'first', 'second'] as const) this[key] = doubled(this[key]);
    }
    const id = this.count++;
    this.tail[id] = tail;
    this.head[id] = head;
    this.weight[id] = weight;
    this.first[id] = first;
    this.second[id] = second;
    return id;
  }
}

/** Removes `value` from an unordered list. */
function removeFrom(list: number[], value: number): void {
  const at = list.indexOf(value);
  if (at < 0) return;
  list[at] = list[list.length - 1]!;
  list.pop();
}

export function contract(network: RoadNetwork, metric: Metric): Hierarchy {
  const n = network.vertexCount;
  const arcs = new Arcs(network.arcCount, network, metric);
  // The arcs between vertices not yet contracted: for each pair, only the lightest (parallel arcs are never needed).
  const outs: number[][] = Array.from({ length: n }, () => []);
  const ins: number[][] = Array.from({ length: n }, () => []);
  const lightest = new Map<number, number>();
  for (let a = 0; a < network.arcCount; a++) {
    const tail = arcs.tail[a]!;
    const head = arcs.head[a]!;
    if (tail === head) continue;
    const key = tail * n + head;
    const known = lightest.get(key);
    if (known === undefined || arcs.weight[a]! < arcs.weight[known]!) lightest.set(key, a);
  }
  for (const a of lightest.values()) {
    outs[arcs.tail[a]!]!.push(a);
    ins[arcs.head[a]!]!.push(a);
  }
  lightest.clear();

  // Witness search state, reused.
  const dist = new Float64Array(n).fill(Infinity);
  const touched: number[] = [];
  const heap = new VertexHeap(n);
  const isTarget = new Uint8Array(n);

  /** Shortest distances from `source` avoiding `avoid`, up to `limit` weight or `settleLimit` vertices; `dist` holds them until the next call. */
  function witnessSearch(source: number, avoid: number, limit: number, settleLimit: number, targets: number): void {
    for (const v of touched) dist[v] = Infinity;
    touched.length = 0;
    heap.clear();
    dist[source] = 0;
    touched.push(source);
    heap.set(source, 0);
    let settled = 0;
    let targetsLeft = targets;
    while (heap.size > 0 && heap.peekKey() <= limit && settled < settleLimit && targetsLeft > 0) {
      const u = heap.pop();
      settled++;
      if (isTarget[u]) targetsLeft--;
      const du = dist[u]!;
      for (const a of outs[u]!) {
        const w = arcs.head[a]!;
        if (w === avoid) continue;
        const d = du + arcs.weight[a]!;
        if (d < dist[w]!) {
          if (dist[w] === Infinity) touched.push(w);
          dist[w] = d;
          heap.set(w, d);
        }
      }
    }
  }

  /** The shortcuts contracting v needs (made when `make`, else only counted). */
  function shortcutsFor(v: number, settleLimit: number, make: boolean): number {
    const inArcs = ins[v]!;
    const outArcs = outs[v]!;
    if (inArcs.length === 0 || outArcs.length === 0) return 0;
    let count = 0;
    let maxOut = 0;
    for (const b of outArcs) maxOut = Math.max(maxOut, arcs.weight[b]!);
    for (const a of inArcs) {
      const u = arcs.tail[a]!;
      const wa = arcs.weight[a]!;
      let targets = 0;
      for (const b of outArcs) {
        const x = arcs.head[b]!;
        if (x !== u && !isTarget[x]) {
          isTarget[x] = 1;
          targets++;
        }
      }
      witnessSearch(u, v, wa + maxOut, settleLimit, targets);
      for (const b of outArcs) isTarget[arcs.head[b]!] = 0;
      for (const b of outArcs) {
        const x = arcs.head[b]!;
        if (x === u) continue;
        const through = wa + arcs.weight[b]!;
        if (dist[x]! <= through) continue;
        count++;
        if (make) addShortcut(u, x, through, a, b);
      }
    }
    return count;
  }

  function addShortcut(u: number, x: number, weight: number, first: number, second: number): void {
    const existing = outs[u]!.find((arc) => arcs.head[arc] === x);
    if (existing !== undefined) {
      if (arcs.weight[existing]! <= weight) return;
      removeFrom(outs[u]!, existing);
      removeFrom(ins[x]!, existing);
    }
    const id = arcs.add(u, x, weight, first, second);
    outs[u]!.push(id);
    ins[x]!.push(id);
  }

  const contractedNeighbours = new Uint32Array(n);
  const depth = new Uint32Array(n);
  const priority = (v: number): number => 2 * shortcutsFor(v, estimateSettleLimit, false) - ins[v]!.length - outs[v]!.length + contractedNeighbours[v]! + depth[v]!;

  const queue = new VertexHeap(n);
  for (let v = 0; v < n; v++) queue.set(v, priority(v));
  const rank = new Uint32Array(n);
  const contracted = new Uint8Array(n);
  const up: number[][] = new Array<number[]>(n);
  const down: number[][] = new Array<number[]>(n);
  let order = 0;
  while (queue.size > 0) {
    const v = queue.pop();
    const now = priority(v);
    if (queue.size > 0 && now > queue.peekKey()) {
      queue.set(v, now);
      continue;
    }
    shortcutsFor(v, contractSettleLimit, true);
    rank[v] = order++;
    contracted[v] = 1;
    // What is left around v is all ranked higher: its upward and downward arcs.
    up[v] = outs[v]!.slice();
    down[v] = ins[v]!.slice();
    const neighbours = new Set<number>();
    for (const a of ins[v]!) {
      const u = arcs.tail[a]!;
      removeFrom(outs[u]!, a);
      neighbours.add(u);
    }
    for (const b of outs[v]!) {
      const x = arcs.head[b]!;
      removeFrom(ins[x]!, b);
      neighbours.add(x);
    }
    outs[v] = [];
    ins[v] = [];
    for (const w of neighbours) {
      contractedNeighbours[w]!++;
      depth[w] = Math.max(depth[w]!, depth[v]! + 1);
      queue.set(w, priority(w));
    }
  }
  return packed(network, metric, arcs, rank, up, down);
}

/** The hierarchy in flat arrays (hierarchy.ts), as queries read it and the graph file stores it. */
function packed(network: RoadNetwork, metric: Metric, arcs: Arcs, rank: Uint32Array, up: number[][], down: number[][]): Hierarchy {
  const n = network.vertexCount;
  const base = network.arcCount;
  const shortcutCount = arcs.count - base;
  const csr = (lists: number[][], endpoint: Uint32Array) => {
    const first = new Uint32Array(n + 1);
    for (let v = 0; v < n; v++) first[v + 1] = first[v]! + (lists[v]?.length ?? 0);
    const total = first[n]!;
    const arcIds = new Uint32Array(total);
    const other = new Uint32Array(total);
    const weight = new Uint32Array(total);
    for (let v = 0; v < n; v++) {
      let at = first[v]!;
      for (const a of lists[v] ?? []) {
        arcIds[at] = a;
        other[at] = endpoint[a]!;
        weight[at] = arcs.weight[a]!;
        at++;
      }
    }
    return { first, arcIds, other, weight };
  };
  const upward = csr(up, arcs.head);
  const downward = csr(down, arcs.tail);
  return {
    metric,
    rank,
    shortcutCount,
    shortcutTail: arcs.tail.slice(base, arcs.count),
    shortcutHead: arcs.head.slice(base, arcs.count),
    shortcutWeight: arcs.weight.slice(base, arcs.count),
    shortcutFirst: arcs.first.slice(base, arcs.count),
    shortcutSecond: arcs.second.slice(base, arcs.count),
    upFirst: upward.first,
    upArc: upward.arcIds,
    upHead: upward.other,
    upWeight: upward.weight,
    downFirst: downward.first,
    downArc: downward.arcIds,
    downTail: downward.other,
    downWeight: downward.weight,
  };
}
