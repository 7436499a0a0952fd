import { readAnonymizerConfig } from './anonymizer-config';
import { Deidentifier } from './deidentifier';
import { DeidRun, type DeidRunSettings } from './deid-run';
import { deidKeys, secretsFromOne } from './deid-keys';

/**
 * De-identification throughput on one core (tools/bench/deid-runner.benchmark.ts
 * runs it under `taskset -c 0`, see scripts/bench.mjs): the first `count` resources of a synthetic clinic's
 * NDJSON export, through the Safe Harbor profile (learning pass, then
 * rules, free-text sweep and shape check), the ODH profile with k = 5, and,
 * as the ceiling, the same engine with no rules and no sweep (the copy, the
 * shape check and the clean-up every run pays).
 */

type Json = Record<string, unknown>;

export interface DeidPass {
  name: string;
  resources: number;
  learnMs: number;
  deidentifyMs: number;
  perSecond: number;
  heapMiB: number;
}

interface Runner {
  learn(resource: Json): void;
  resource(resource: Json): Promise<Json | undefined>;
}

async function timed(name: string, runner: Runner, resources: readonly Json[], heapMiB: () => number): Promise<DeidPass> {
  const learnStart = performance.now();
  for (const resource of resources) runner.learn(resource);
  const learnMs = performance.now() - learnStart;
  const start = performance.now();
  let out = 0;
  for (const resource of resources) if ((await runner.resource(resource)) !== undefined) out += 1;
  const deidentifyMs = performance.now() - start;
  if (out === 0) throw new Error(`${name}: nothing came out`);
  return { name, resources: resources.length, learnMs, deidentifyMs, perSecond: (resources.length * 1000) / (learnMs + deidentifyMs), heapMiB: heapMiB() };
}

/** `resources` as read from the export's files; `heapMiB` reads the runtime's heap (the runner's, Node's). */
export async function runDeidBench(resources: readonly Json[], heapMiB: () => number): Promise<{ resources: number; byType: Record<string, number>; passes: DeidPass[] }> {
  const byType: Record<string, number> = {};
  for (const resource of resources) byType[String(resource['resourceType'])] = (byType[String(resource['resourceType'])] ?? 0) + 1;
  const keys = await deidKeys(secretsFromOne('benchmark key'));
  const settings = (profile: DeidRunSettings['profile'], k?: number): DeidRunSettings => ({ profile, k, keys, linkable: true });
  const passes: DeidPass[] = [];
  // A warm-up over a slice, so no pass pays for the first compile of each FHIRPath rule and regex.
  await timed('warm-up', new DeidRun(settings('safe-harbor')), resources.slice(0, 2000), heapMiB);
  passes.push(await timed('keep everything (no rules, no sweep): the ceiling', new Deidentifier(readAnonymizerConfig({ fhirPathRules: [] }), keys, { scrubFreeText: false }), resources, heapMiB));
  passes.push(await timed('Safe Harbor profile', new DeidRun(settings('safe-harbor')), resources, heapMiB));
  passes.push(await timed('ODH profile, k = 5', new DeidRun(settings('odh', 5)), resources, heapMiB));
  return { resources: resources.length, byType, passes };
}
