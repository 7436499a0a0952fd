import type { OsmFacility } from '../facilities/osm-facility';
import { emptyBasemap, type BasemapLayers } from './basemap';
import { contract } from './contraction';
import type { Hierarchy } from './hierarchy';
import type { RoadSpeeds } from './road-classes';
import { buildRoadNetwork, metrics, type Metric, type NetworkCounts, type NetworkWay, type RoadNetwork } from './road-network';

/**
 * A region's compiled road graph: the network, a contraction hierarchy per
 * metric, and the health facilities found in the same extract. Built once at
 * import (`compileRoadGraph`), stored as one binary file (graph-file.ts), and
 * loaded by the hub and the workstations in milliseconds.
 */
export interface RoadGraph {
  network: RoadNetwork;
  hierarchies: Record<Metric, Hierarchy>;
  facilities: OsmFacility[];
  /** Water and places for the map (basemap.ts); the roads are the network's. */
  basemap: BasemapLayers;
  speeds: RoadSpeeds;
  counts: NetworkCounts;
}

export interface RegionExtract {
  ways: Iterable<NetworkWay>;
  coordinate: (node: number) => readonly [number, number] | undefined;
  facilities: OsmFacility[];
  basemap?: BasemapLayers;
}

export function compileRoadGraph(extract: RegionExtract, speeds: RoadSpeeds, onProgress: (step: string) => void = () => {}): RoadGraph {
  onProgress('network');
  const { network, counts } = buildRoadNetwork(extract.ways, extract.coordinate, speeds);
  const hierarchies = {} as Record<Metric, Hierarchy>;
  for (const metric of metrics) {
    onProgress(`hierarchy:${metric}`);
    hierarchies[metric] = contract(network, metric);
  }
  return { network, hierarchies, facilities: extract.facilities, basemap: extract.basemap ?? emptyBasemap(), speeds, counts };
}
