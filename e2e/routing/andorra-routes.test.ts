import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parser from 'osm-pbf-parser';
import { beforeAll, describe, expect, it } from 'vitest';

// Routes on the real Andorra extract (../shared/data/osm, © OpenStreetMap
// contributors, ODbL) through the command line the hub operator uses, each
// checked against a route found here independently: the extract read with the
// parser directly, the road rules written out again, and a plain
// Dijkstra over exact metres and seconds, with none of the product's code.

const extract = join(import.meta.dirname, '../../../shared/data/osm/andorra.osm.pbf');
const work = mkdtempSync(join(tmpdir(), 'clinic-route-'));
const graphFile = join(work, 'andorra.graph');
const cli = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/clinic-route.mjs', ...args], { encoding: 'utf8', input, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });

// The speeds (km/h) and car rules, as the oracle reads them.
const speed: Record<string, number> = { motorway: 100, trunk: 80, primary: 60, secondary: 50, tertiary: 40, unclassified: 30, road: 30, residential: 25, service: 15, living_street: 10 };
const linkable = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary'];
const unpaved = ['unpaved', 'dirt', 'gravel', 'ground', 'earth', 'mud', 'sand', 'fine_gravel', 'compacted', 'grass', 'pebblestone'];

interface Edge {
  to: number;
  metres: number;
  dry: number;
  rainy: number;
}

function haversine(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[0] - a[0]) * r) / 2) ** 2 + Math.cos(a[0] * r) * Math.cos(b[0] * r) * Math.sin(((b[1] - a[1]) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

const positions = new Map<number, [number, number]>();
const edges = new Map<number, Edge[]>();
let oneWays = 0;

async function readOracle(): Promise<void> {
  const ways: { refs: number[]; tags: Record<string, string> }[] = [];
  await new Promise<void>((resolve, reject) => {
    const osm = parser();
    osm.on('data', (items: { type: string; id: number; lat?: number; lon?: number; refs?: number[]; tags: Record<string, string> }[]) => {
      for (const item of items) {
        if (item.type === 'node') positions.set(item.id, [item.lat!, item.lon!]);
        if (item.type === 'way') ways.push({ refs: item.refs!, tags: item.tags });
      }
    });
    osm.on('end', resolve);
    osm.on('error', reject);
    createReadStream(extract).pipe(osm);
  });
  for (const { refs, tags } of ways) {
    const highway = tags.highway ?? '';
    const base = highway.replace(/_link$/, '');
    if (!(base in speed) || (highway !== base && !linkable.includes(base)) || tags.area === 'yes') continue;
    const access = ['motorcar', 'motor_vehicle', 'vehicle', 'access'].map((key) => tags[key]).find((value) => value !== undefined && /^(yes|designated|destination|permissive|no|private|agricultural|forestry|delivery|customers|emergency)$/.test(value));
    if (access !== undefined && !/^(yes|designated|destination|permissive)$/.test(access)) continue;
    const oneway = tags.oneway ?? (tags.junction === 'roundabout' || tags.junction === 'circular' || base === 'motorway' ? 'yes' : 'no');
    const forward = oneway !== '-1' && oneway !== 'reverse';
    const backward = !['yes', 'true', '1'].includes(oneway);
    if (!forward || !backward) oneWays++;
    const slow = tags.surface === undefined ? base === 'unclassified' : unpaved.includes(tags.surface);
    const kmh = speed[base]!;
    for (let i = 1; i < refs.length; i++) {
      const [a, b] = [refs[i - 1]!, refs[i]!];
      if (a === b || !positions.has(a) || !positions.has(b)) continue;
      const metres = haversine(positions.get(a)!, positions.get(b)!);
      const edge = (to: number): Edge => ({ to, metres, dry: metres / (kmh / 3.6), rainy: metres / ((slow ? kmh * 0.6 : kmh) / 3.6) });
      if (forward) edges.set(a, [...(edges.get(a) ?? []), edge(b)]);
      if (backward) edges.set(b, [...(edges.get(b) ?? []), edge(a)]);
    }
  }
}

/** The oracle's plain Dijkstra: the least `weight` from one road node to another, with the route's metres and dry seconds. */
function oracle(from: number, to: number, weight: 'metres' | 'dry' | 'rainy'): { metres: number; seconds: number } | undefined {
  const best = new Map<number, { cost: number; metres: number; seconds: number }>([[from, { cost: 0, metres: 0, seconds: 0 }]]);
  const done = new Set<number>();
  const open = [from];
  while (open.length > 0) {
    let at = 0;
    for (let i = 1; i < open.length; i++) if (best.get(open[i]!)!.cost < best.get(open[at]!)!.cost) at = i;
    const u = open.splice(at, 1)[0]!;
    if (done.has(u)) continue;
    done.add(u);
    const here = best.get(u)!;
    if (u === to) return here;
    for (const edge of edges.get(u) ?? []) {
      const cost = here.cost + edge[weight];
      if (cost < (best.get(edge.to)?.cost ?? Infinity)) {
        best.set(edge.to, { cost, metres: here.metres + edge.metres, seconds: here.seconds + (weight === 'rainy' ? edge.rainy : edge.dry) });
        open.push(edge.to);
      }
    }
  }
  return undefined;
}

/** Every node a car can reach from `from`. */
function reachableFrom(from: number): Set<number> {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const edge of edges.get(queue.pop()!) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return seen;
}

beforeAll(async () => {
  const imported = cli(['import', extract, '--out', graphFile]);
  expect(imported.status, imported.stderr).toBe(0);
  await readOracle();
}, 180_000);

describe('npx clinic-route on the Andorra extract', { timeout: 600_000 }, () => {
  it('imports the roads and facilities and reports their counts', () => {
    const report = JSON.parse(cli(['import', extract, '--out', graphFile]).stdout) as { vertices: number; arcs: number; waysByClass: Record<string, number>; facilities: number; facilitiesByKind: Record<string, number>; map: { places: number; waterAreas: number; waterLines: number } };
    // Every road node the oracle found is a vertex; every drivable direction an arc.
    expect(report.vertices).toBe(new Set([...edges.keys(), ...[...edges.values()].flat().map((edge) => edge.to)]).size);
    expect(report.arcs).toBe([...edges.values()].reduce((sum, list) => sum + list.length, 0));
    expect(report.waysByClass.primary).toBeGreaterThan(100);
    // SOURCES.md: 10 health features, 7 hospitals and 3 pharmacies.
    expect(report.facilities).toBe(10);
    expect(report.facilitiesByKind).toEqual({ hospital: 7, pharmacy: 3 });
    // The map's own layers from the same extract: Andorra's towns and villages, its lakes and rivers.
    expect(report.map.places).toBeGreaterThan(5);
    expect(report.map.waterAreas + report.map.waterLines).toBeGreaterThan(0);
  });

  it('finds the same routes as a plain Dijkstra, in distance and in dry- and rainy-season time, on random pairs', () => {
    const nodes = [...edges.keys()].filter((node) => edges.get(node)!.length > 0);
    // Only nodes alone at their position: a point then snaps to that node and no other.
    const at = new Map<string, number>();
    for (const node of nodes) at.set(String(positions.get(node)), at.has(String(positions.get(node))) ? -1 : node);
    const single = nodes.filter((node) => at.get(String(positions.get(node))) === node);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pairs: (readonly [number, number])[] = Array.from({ length: 150 }, () => [single[Math.floor(random() * single.length)]!, single[Math.floor(random() * single.length)]!] as const);
    // And pairs between pieces of the network that do not meet (the extract has several): from the first node to some it cannot reach.
    const reached = reachableFrom(single[0]!);
    pairs.push(...single.filter((node) => !reached.has(node)).slice(0, 5).map((node) => [single[0]!, node] as const));
    const questions = pairs.flatMap(([from, to], i) =>
      (['distance', 'dry', 'rainy'] as const).map((metric) => ({ id: `${i}-${metric}`, from: positions.get(from), to: positions.get(to), by: metric === 'distance' ? 'distance' : 'time', season: metric === 'rainy' ? 'rainy' : 'dry' })),
    );
    const answered = cli(['batch', '--graph', graphFile], questions.map((q) => JSON.stringify(q)).join('\n'));
    expect(answered.status, answered.stderr).toBe(0);
    const answers = answered.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; distance_m?: number; duration_s?: number; route?: null; reason?: string });
    expect(answers.map((answer) => answer.id)).toEqual(questions.map((q) => q.id));
    let routed = 0;
    let unroutable = 0;
    pairs.forEach(([from, to], i) => {
      for (const metric of ['distance', 'dry', 'rainy'] as const) {
        const answer = answers.find((a) => a.id === `${i}-${metric}`)!;
        const expected = oracle(from, to, metric === 'distance' ? 'metres' : metric);
        if (!expected) {
          expect(answer, `${i} ${metric}`).toEqual({ id: `${i}-${metric}`, route: null, reason: 'no_route' });
          unroutable++;
          continue;
        }
        routed++;
        // Arcs are stored to the centimetre and millisecond, answers to the decimetre and tenth of a second.
        if (metric === 'distance') expect(Math.abs(answer.distance_m! - expected.metres), `${i} distance`).toBeLessThan(1);
        else expect(Math.abs(answer.duration_s! - expected.seconds), `${i} ${metric}`).toBeLessThan(1);
      }
    });
    // The set covers both: routes, and pairs in pieces of the network that do not meet.
    expect(routed).toBeGreaterThan(200);
    expect(unroutable).toBeGreaterThanOrEqual(15);
  });

  it('keeps one-way streets: some routes differ there and back', () => {
    expect(oneWays).toBeGreaterThan(20);
    const nodes = [...edges.keys()];
    let asymmetric = 0;
    for (let i = 0; i < 200 && asymmetric === 0; i++) {
      const [a, b] = [nodes[(i * 7919) % nodes.length]!, nodes[(i * 104729 + 13) % nodes.length]!];
      const there = oracle(a, b, 'metres');
      const back = oracle(b, a, 'metres');
      if (there && back && Math.abs(there.metres - back.metres) > 1) asymmetric++;
    }
    expect(asymmetric).toBeGreaterThan(0);
  });

  it('says when a point is off the network, and ranks facilities by road and by straight line', () => {
    const lines = [
      { id: 'sea', from: [41.0, 3.0], to: [42.5063, 1.5218], by: 'time' },
      { id: 'near', from: [42.5063, 1.5218], nearest: 3, by: 'time' },
      { id: 'near-distance', from: [42.5063, 1.5218], nearest: 3, by: 'distance' },
    ];
    const answers = cli(['batch', '--graph', graphFile], lines.map((line) => JSON.stringify(line)).join('\n'))
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(answers[0]).toEqual({ id: 'sea', route: null, reason: 'off_network' });
    for (const answer of answers.slice(1)) {
      const byRoad = answer.byRoad as { facility: string; distance_m: number; duration_s: number }[];
      const byLine = answer.byStraightLine as { facility: string; distance_m: number }[];
      expect(byRoad).toHaveLength(3);
      expect(byLine).toHaveLength(3);
      for (const entry of [...byRoad, ...byLine]) expect(entry.facility).toMatch(/^(node|way)\/\d+$/);
      const key = answer.id === 'near' ? 'duration_s' : 'distance_m';
      expect(byRoad.map((entry) => entry[key])).toEqual(byRoad.map((entry) => entry[key]).sort((a, b) => a - b));
      expect(byLine.map((entry) => entry.distance_m)).toEqual(byLine.map((entry) => entry.distance_m).sort((a, b) => a - b));
      // A road is never shorter than the straight line to the same place.
      for (const entry of byRoad) {
        const straight = byLine.find((line) => line.facility === entry.facility);
        if (straight) expect(entry.distance_m).toBeGreaterThanOrEqual(straight.distance_m - 2000);
      }
    }
  });

  it('refuses a damaged extract or graph file with a reason, and keeps the graph it had', () => {
    const before = readFileSync(graphFile);
    const garbage = join(work, 'garbage.osm.pbf');
    writeFileSync(garbage, 'this is not a PBF file at all');
    const truncated = join(work, 'truncated.osm.pbf');
    writeFileSync(truncated, readFileSync(extract).subarray(0, 100_000));
    const notGarbage = cli(['import', garbage, '--out', graphFile]);
    expect([notGarbage.status, notGarbage.stderr.trim()]).toEqual([1, 'This file is not an OSM PBF extract (it does not start as one).']);
    const cut = cli(['import', truncated, '--out', graphFile]);
    expect([cut.status, cut.stderr.trim()]).toEqual([1, 'The extract ends in the middle of a block: it was cut short (copied or downloaded incompletely). Download it again.']);
    const missing = cli(['import', join(work, 'nowhere.osm.pbf'), '--out', graphFile]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('There is no file at');
    expect(readFileSync(graphFile).equals(before)).toBe(true);
    expect(existsSync(`${graphFile}.partial`)).toBe(false);

    const damaged = join(work, 'damaged.graph');
    const bytes = Buffer.from(before);
    bytes.subarray(bytes.length - 40_000).fill(0xff);
    writeFileSync(damaged, bytes);
    const refused = cli(['batch', '--graph', damaged], '{"id":1,"from":[42.5,1.5],"to":[42.51,1.52],"by":"time"}');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('The road graph file is damaged (its checksum does not match): import the region again.\n');
    const notGraph = cli(['batch', '--graph', extract], '');
    expect([notGraph.status, notGraph.stderr.trim()]).toEqual([1, 'This is not a road graph file made by "clinic-route import".']);
  });
});
