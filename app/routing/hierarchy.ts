import type { Metric, RoadNetwork } from './road-network';

/**
 * A contraction hierarchy of a road network in one metric (Geisberger et
 * al., "Contraction Hierarchies: Faster and Simpler Hierarchical Routing in
 * Road Networks", 2008). Vertices are ranked; shortcuts stand for two-arc
 * paths through a lower vertex; a route is found by searching upward from
 * both ends (route-search.ts). Arc ids below the network's `arcCount` are the
 * network's own arcs; the rest are shortcuts.
 */
export interface Hierarchy {
  metric: Metric;
  rank: Uint32Array;
  shortcutCount: number;
  shortcutTail: Uint32Array;
  shortcutHead: Uint32Array;
  shortcutWeight: Uint32Array;
  /** The two arcs (network arcs or shortcuts) a shortcut stands for, in order. */
  shortcutFirst: Uint32Array;
  shortcutSecond: Uint32Array;
  /** Per vertex v, arcs v→w to higher w: `upFirst[v]`..`upFirst[v+1]` index `upArc`, `upHead`, `upWeight`. */
  upFirst: Uint32Array;
  upArc: Uint32Array;
  upHead: Uint32Array;
  upWeight: Uint32Array;
  /** Per vertex v, arcs w→v from higher w (the backward search walks them from v to w). */
  downFirst: Uint32Array;
  downArc: Uint32Array;
  downTail: Uint32Array;
  downWeight: Uint32Array;
}

/** The network arcs a hierarchy arc stands for, appended in driving order. */
export function unpackArc(network: RoadNetwork, hierarchy: Hierarchy, arc: number, into: number[]): void {
  const stack = [arc];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next < network.arcCount) {
      into.push(next);
      continue;
    }
    const shortcut = next - network.arcCount;
    stack.push(hierarchy.shortcutSecond[shortcut]!, hierarchy.shortcutFirst[shortcut]!);
  }
}
