import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { RoadNetwork } from './road-network';

/**
 * Snapping a point to the road: the nearest road node by great-circle
 * distance (kdbush's static k-d tree, with geokdbush's nearest-neighbour
 * search over the sphere).
 */
export class NearestVertex {
  private readonly index: KDBush;

  constructor(private readonly network: RoadNetwork) {
    this.index = new KDBush(Math.max(1, network.vertexCount));
    for (let v = 0; v < network.vertexCount; v++) this.index.add(network.lon[v]!, network.lat[v]!);
    if (network.vertexCount === 0) this.index.add(0, 90);
    this.index.finish();
  }

  /** The nearest vertex within `withinM` metres of the point, or undefined. */
  find(lat: number, lon: number, withinM: number): number | undefined {
    if (this.network.vertexCount === 0) return undefined;
    return around(this.index, lon, lat, 1, withinM / 1000)[0];
  }
}
