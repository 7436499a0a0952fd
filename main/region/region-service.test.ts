import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../app/contract/errors';
import { silentLogger } from '../../app/log/logger';
import { encodeRoadGraph } from '../../app/routing/graph-file';
import { defaultSpeedsKmh } from '../../app/routing/road-classes';
import { compileRoadGraph } from '../../app/routing/road-graph';
import { syntheticRoads } from '../../app/routing/synthetic-roads';
import { createRegionService, type RegionService } from './region-service';

const roads = syntheticRoads({ seed: 4, arcs: 6000 });
const graphBytes = encodeRoadGraph(compileRoadGraph({ ways: roads.ways, coordinate: (node) => roads.coordinates[node], facilities: [] }, defaultSpeedsKmh));
const [a, b] = [roads.coordinates[0]!, roads.coordinates.at(-1)!];

type Answer = Awaited<ReturnType<Parameters<typeof createRegionService>[0]['hub']['regionGraph']>>;
const opened: { service: RegionService; dir: string }[] = [];

async function serviceWith(answers: (Answer | Error)[], linked = true) {
  const dir = await mkdtemp(join(tmpdir(), 'region-'));
  const asked: (string | undefined)[] = [];
  const hub = {
    status: () => Promise.resolve(linked ? { linked: true as const, hubUrl: 'x', hubId: 'h', clinicId: 'c', workstationId: 'w', databases: { records: 'r', staff: 's', facilities: 'f' } } : { linked: false as const }),
    regionGraph: (etag: string | undefined) => {
      asked.push(etag);
      const next = answers.shift()!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
  const service = createRegionService({ dir, hub, log: silentLogger });
  opened.push({ service, dir });
  return { service, asked, dir };
}

afterEach(async () => {
  for (const { service, dir } of opened.splice(0)) {
    service.close();
    await rm(dir, { recursive: true, force: true });
  }
});

describe('the workstation’s road graph', () => {
  it('routes and ranks once fetched from the hub, and says plainly when it has none', async () => {
    const { service, asked } = await serviceWith([{ kind: 'none', reason: 'This hub has no road graph for its region yet.' }, { kind: 'graph', bytes: graphBytes, etag: '"v1"' }, { kind: 'unchanged' }]);
    expect(await service.refresh()).toEqual({ available: false, problem: 'This hub has no road graph for its region yet.' });
    expect(await service.route({ from: a, to: b, by: 'time', season: 'dry' })).toMatchObject({ found: false, reason: 'no_graph' });
    const ranked = await service.rank({ from: a, places: [{ id: 'far', lat: b[0], lon: b[1] }, { id: 'here', lat: a[0], lon: a[1] }], count: 5, by: 'time', season: 'dry' });
    expect(ranked).toMatchObject({ byRoad: [], byRoadMissing: 'no_graph', byStraightLine: [{ id: 'here' }, { id: 'far' }] });

    expect(await service.refresh()).toMatchObject({ available: true, vertices: expect.any(Number) as number });
    const route = await service.route({ from: a, to: b, by: 'time', season: 'dry' });
    expect(route).toMatchObject({ found: true });
    if (route.found) expect(route.path[0]).toEqual([a[0], a[1]]);
    expect((await service.rank({ from: a, places: [{ id: 'far', lat: b[0], lon: b[1] }, { id: 'here', lat: a[0], lon: a[1] }], count: 5, by: 'time', season: 'dry' })).byRoad.map((r) => r.id)).toEqual(['here', 'far']);
    await service.refresh();
    expect(asked).toEqual([undefined, undefined, '"v1"']);
  });

  it('keeps the graph it has when the hub is away or sends a damaged one, and after a restart', async () => {
    const damaged = graphBytes.slice();
    damaged[damaged.length - 100] = damaged[damaged.length - 100]! ^ 0xff;
    const { service, dir } = await serviceWith([{ kind: 'graph', bytes: graphBytes, etag: '"v1"' }, new ApiError({ code: 'unavailable', message: 'The hub at x cannot be reached.' }), { kind: 'graph', bytes: damaged, etag: '"v2"' }]);
    await service.refresh();
    expect(await service.refresh()).toMatchObject({ available: true, problem: 'The hub at x cannot be reached.' });
    expect(await service.refresh()).toMatchObject({ available: true, problem: expect.stringMatching(/failed its checks .*checksum.*the one here stays in use/) as string });
    expect(await service.route({ from: a, to: b, by: 'distance', season: 'dry' })).toMatchObject({ found: true });
    // Offline after a restart: the graph in the data folder is used.
    const again = createRegionService({ dir, hub: { status: () => Promise.resolve({ linked: false as const }), regionGraph: () => Promise.reject(new Error('not asked')) }, log: silentLogger });
    opened.push({ service: again, dir });
    expect(await again.status()).toMatchObject({ available: true });
    expect(await again.route({ from: a, to: b, by: 'time', season: 'rainy' })).toMatchObject({ found: true });
  });
});
