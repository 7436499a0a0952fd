import { unpackArc, type Hierarchy } from './hierarchy';
import type { RoadNetwork } from './road-network';
import { VertexHeap } from './vertex-heap';

/** A route: its weight in the hierarchy's metric and the network arcs it drives, in order. */
export interface FoundRoute {
  weight: number;
  arcs: number[];
}

/**
 * Point-to-point queries on a contraction hierarchy: a Dijkstra search
 * upward from the start and one upward (over reversed arcs) from the end,
 * with "stall on demand" (a vertex reached more cheaply from above is not
 * expanded); they stop when neither can still beat the best meeting found.
 * One instance holds its search state in typed arrays sized for the graph and
 * reuses it, so it answers one query at a time.
 */
export class RouteSearch {
  private readonly forward: SearchSide;
  private readonly backward: SearchSide;

  constructor(
    private readonly network: RoadNetwork,
    private readonly hierarchy: Hierarchy,
  ) {
    this.forward = new SearchSide(network.vertexCount);
    this.backward = new SearchSide(network.vertexCount);
    const h = hierarchy;
    // Each side climbs its own arcs, and stalls a vertex that the arcs reaching it from above (in the same direction) reach more cheaply.
    this.upward = { first: h.upFirst, neighbour: h.upHead, weight: h.upWeight, arc: h.upArc, stallFirst: h.downFirst, stallNeighbour: h.downTail, stallWeight: h.downWeight };
    this.downward = { first: h.downFirst, neighbour: h.downTail, weight: h.downWeight, arc: h.downArc, stallFirst: h.upFirst, stallNeighbour: h.upHead, stallWeight: h.upWeight };
  }

  private readonly upward: ClimbArcs;
  private readonly downward: ClimbArcs;

  /** The lightest route from `from` to `to`, or undefined when none exists. */
  route(from: number, to: number): FoundRoute | undefined {
    const f = this.forward;
    const b = this.backward;
    f.reset();
    b.reset();
    f.reach(from, 0, -1);
    b.reach(to, 0, -1);
    let best = Infinity;
    let meeting = -1;
    while (f.heap.size > 0 || b.heap.size > 0) {
      const forwardTurn = f.heap.peekKey() <= b.heap.peekKey();
      const side = forwardTurn ? f : b;
      if (side.heap.peekKey() >= best) {
        // This side cannot improve the meeting; the other may still.
        side.heap.clear();
        continue;
      }
      const u = side.heap.pop();
      const du = side.dist[u]!;
      const other = forwardTurn ? b : f;
      const through = du + other.dist[u]!;
      if (through < best) {
        best = through;
        meeting = u;
      }
      const { first, neighbour, weight, arc, stallFirst, stallNeighbour, stallWeight } = forwardTurn ? this.upward : this.downward;
      let stalled = false;
      for (let i = stallFirst[u]!, end = stallFirst[u + 1]!; i < end; i++) {
        if (side.dist[stallNeighbour[i]!]! + stallWeight[i]! < du) {
          stalled = true;
          break;
        }
      }
      if (stalled) continue;
      for (let i = first[u]!, end = first[u + 1]!; i < end; i++) side.relax(neighbour[i]!, du + weight[i]!, arc[i]!);
    }
    if (meeting < 0) return undefined;
    return { weight: best, arcs: this.unpack(meeting) };
  }

  private unpack(meeting: number): number[] {
    const climbed: number[] = [];
    for (let v = meeting; this.forward.parent[v]! >= 0; ) {
      const arc = this.forward.parent[v]!;
      climbed.push(arc);
      v = this.tailOf(arc);
    }
    climbed.reverse();
    for (let v = meeting; this.backward.parent[v]! >= 0; ) {
      const arc = this.backward.parent[v]!;
      climbed.push(arc);
      v = this.headOf(arc);
    }
    const arcs: number[] = [];
    for (const arc of climbed) unpackArc(this.network, this.hierarchy, arc, arcs);
    return arcs;
  }

  private tailOf(arc: number): number {
    return arc < this.network.arcCount ? this.network.arcTail[arc]! : this.hierarchy.shortcutTail[arc - this.network.arcCount]!;
  }

  private headOf(arc: number): number {
    return arc < this.network.arcCount ? this.network.arcHead[arc]! : this.hierarchy.shortcutHead[arc - this.network.arcCount]!;
  }
}

interface ClimbArcs {
  first: Uint32Array;
  neighbour: Uint32Array;
  weight: Uint32Array;
  arc: Uint32Array;
  stallFirst: Uint32Array;
  stallNeighbour: Uint32Array;
  stallWeight: Uint32Array;
}

/** One direction's search state: distances, the arc each vertex was reached by, and the vertices touched (to reset only those). */
class SearchSide {
  readonly dist: Float64Array;
  readonly parent: Int32Array;
  readonly heap: VertexHeap;
  private readonly touched: number[] = [];

  constructor(vertexCount: number) {
    this.dist = new Float64Array(vertexCount).fill(Infinity);
    this.parent = new Int32Array(vertexCount).fill(-1);
    this.heap = new VertexHeap(vertexCount);
  }

  reset(): void {
    for (const v of this.touched) {
      this.dist[v] = Infinity;
      this.parent[v] = -1;
    }
    this.touched.length = 0;
    this.heap.clear();
  }

  reach(v: number, dist: number, arc: number): void {
    if (this.dist[v] === Infinity) this.touched.push(v);
    this.dist[v] = dist;
    this.parent[v] = arc;
    this.heap.set(v, dist);
  }

  relax(v: number, dist: number, arc: number): void {
    if (dist < this.dist[v]!) this.reach(v, dist, arc);
  }
}
