import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { AnonymizerConfigError, readAnonymizerConfig, type AnonymizerConfig } from '../../../app/deid/anonymizer-config';
import { DeidRuleError, hashed } from '../../../app/deid/deid-engine';
import { deidKeys, randomSecrets, secretsFromOne, type DeidSecrets } from '../../../app/deid/deid-keys';
import { DeidRun, type DeidProfileName, type DeidReport } from '../../../app/deid/deid-run';
import { DeidInputError } from '../../../app/deid/deidentifier';
import { quasiIdentifiersNamed } from '../../../app/deid/quasi-identifiers';

/**
 * `clinic-fhir deidentify`: every Bundle (.json) and NDJSON (.ndjson) file
 * given, de-identified under the same name in `--out`, an `$export`
 * manifest copied with its counts, and `deid-report.json`. Two passes: the
 * first reads every file to learn each patient's own words and groups, the
 * second de-identifies, a line at a time for NDJSON. Problems are listed by
 * file and line or entry with a fixed message: never a value from the file.
 */

export const deidentifyUsage = `Usage: npx clinic-fhir deidentify --in <file|dir> --out <dir> [--profile safe-harbor|odh] [--config <file>]
       [--key-file <file>] [--dates year|shift] [--k <n> --quasi <names>]

Reads Bundles (.json) and NDJSON (.ndjson), a file or every such file in a folder, and writes each one's
de-identified counterpart under the same name in --out (an $export manifest is copied with its counts
updated), with deid-report.json. --profile safe-harbor (the default) removes HIPAA Safe Harbor's 18
identifiers, dates to the year; odh keeps the month, and age band, sex, district and ZIP3 under
k-anonymity. --dates shift moves each patient's dates by the same days instead (not Safe Harbor).
--config replaces the profile's rules with a configuration in Microsoft's anonymizer format. Keys come
from --key-file (JSON with cryptoHashKey, dateShiftKey, encryptKey; or one secret as plain text) or the
configuration's parameters; without either they are random for this run, and the output cannot be
linked to other runs. --k holds back patients in groups smaller than k over the quasi-identifiers of
--quasi (comma-separated: age-band, sex, district, zip3 and those the configuration defines; default
all four). Exit 0 when every input was processed, 1 when some could not be (listed in the report), 2 on
bad usage.`;

type Json = Record<string, unknown>;

export interface DeidArguments {
  in: string;
  out: string;
  profile: DeidProfileName;
  config?: AnonymizerConfig | undefined;
  secrets: DeidSecrets;
  linkable: boolean;
  dates: 'year' | 'shift' | undefined;
  k: number | undefined;
  quasi: string[] | undefined;
}

/** Bad usage, in plain words; the caller prints it and exits 2. */
export class DeidUsageError extends Error {}

async function readKeyFile(file: string): Promise<DeidSecrets> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DeidUsageError(`The key file "${file}" cannot be read.`);
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new DeidUsageError(`The key file "${file}" is empty.`);
  if (!trimmed.startsWith('{')) return secretsFromOne(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new DeidUsageError(`The key file "${file}" starts like JSON but is not valid JSON.`);
  }
  const keys = json as Record<string, unknown>;
  const text_ = (name: string) => (typeof keys[name] === 'string' && keys[name] !== '' ? keys[name] : undefined);
  const hash = text_('cryptoHashKey');
  const shift = text_('dateShiftKey');
  if (hash === undefined || shift === undefined) throw new DeidUsageError(`The key file "${file}" must give cryptoHashKey and dateShiftKey (and may give encryptKey).`);
  return { cryptoHashKey: hash, dateShiftKey: shift, encryptKey: text_('encryptKey') };
}

async function readConfig(file: string): Promise<AnonymizerConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DeidUsageError(error instanceof SyntaxError ? `The configuration "${file}" is not valid JSON.` : `The configuration "${file}" cannot be read.`);
  }
  try {
    return readAnonymizerConfig(json);
  } catch (error) {
    if (error instanceof AnonymizerConfigError) throw new DeidUsageError(error.message);
    throw error;
  }
}

/** The options as given, checked; throws DeidUsageError with what is wrong. */
export async function readDeidArguments(values: Record<string, string | undefined>): Promise<DeidArguments> {
  if (values['in'] === undefined || values['in'] === '') throw new DeidUsageError('Say what to de-identify: --in <file|dir>.');
  if (values['out'] === undefined || values['out'] === '') throw new DeidUsageError('Say which folder to write to: --out <dir>.');
  const profile = values['profile'] ?? 'safe-harbor';
  if (profile !== 'safe-harbor' && profile !== 'odh') throw new DeidUsageError(`--profile must be safe-harbor or odh, not "${profile}".`);
  const dates = values['dates'];
  if (dates !== undefined && dates !== 'year' && dates !== 'shift') throw new DeidUsageError(`--dates must be year or shift, not "${dates}".`);
  let k: number | undefined;
  if (values['k'] !== undefined) {
    if (!/^\d+$/.test(values['k']) || Number(values['k']) < 1 || Number(values['k']) > 1_000_000) throw new DeidUsageError(`--k must be a whole number from 1, not "${values['k']}".`);
    k = Number(values['k']);
  }
  const config = values['config'] === undefined ? undefined : await readConfig(values['config']);
  const quasi = values['quasi'] === undefined ? undefined : values['quasi'].split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (quasi !== undefined) {
    if (quasi.length === 0) throw new DeidUsageError('--quasi needs at least one name: age-band, sex, district, zip3.');
    try {
      quasiIdentifiersNamed(quasi, config);
    } catch (error) {
      throw new DeidUsageError(`--quasi: ${(error as Error).message}.`);
    }
  }
  let secrets: DeidSecrets | undefined;
  if (values['key-file'] !== undefined) secrets = await readKeyFile(values['key-file']);
  else if (config?.parameters.cryptoHashKey !== undefined && config.parameters.dateShiftKey !== undefined) {
    secrets = { cryptoHashKey: config.parameters.cryptoHashKey, dateShiftKey: config.parameters.dateShiftKey, encryptKey: config.parameters.encryptKey };
  }
  if (secrets !== undefined && secrets.encryptKey === undefined && config?.parameters.encryptKey !== undefined) secrets = { ...secrets, encryptKey: config.parameters.encryptKey };
  return { in: values['in'], out: values['out'], profile, config, secrets: secrets ?? { ...randomSecrets(), encryptKey: config?.parameters.encryptKey }, linkable: secrets !== undefined, dates, k, quasi };
}

/** The files to read: the one given, or the folder's .json and .ndjson files in name order. */
async function inputFiles(input: string): Promise<string[]> {
  let info;
  try {
    info = await stat(input);
  } catch {
    throw new DeidUsageError(`"${input}" does not exist.`);
  }
  if (!info.isDirectory()) return [input];
  const names = (await readdir(input)).filter((name) => /\.(?:json|ndjson)$/i.test(name) && name !== 'deid-report.json').sort();
  if (names.length === 0) throw new DeidUsageError(`The folder "${input}" holds no .json or .ndjson files.`);
  return names.map((name) => join(input, name));
}

export interface FileProblem {
  /** `line 12`, `entry 3`, or empty for the file as a whole. */
  where: string;
  problem: string;
}

interface FileResult {
  file: string;
  kind: 'ndjson' | 'bundle' | 'resource' | 'manifest' | 'unreadable';
  resourcesIn: number;
  resourcesOut: number;
  written: boolean;
  problems: FileProblem[];
  byType: Record<string, number>;
}

const isManifest = (json: unknown): boolean => typeof json === 'object' && json !== null && Array.isArray((json as Json)['output']) && typeof (json as Json)['transactionTime'] === 'string';
const isResource = (json: unknown): json is Json => typeof json === 'object' && json !== null && !Array.isArray(json) && typeof (json as Json)['resourceType'] === 'string';

async function* ndjsonLines(file: string): AsyncGenerator<{ number: number; text: string }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() !== '') yield { number, text };
  }
}

function parsedLine(text: string): Json | undefined {
  try {
    const json: unknown = JSON.parse(text);
    return isResource(json) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** Why a record was left out, in words that hold no value from it: the model's path, or the rule's place. */
function leftOut(error: unknown, outcome: string): string {
  if (error instanceof DeidInputError) return `not shaped as FHIR R4 says (at ${error.where}): ${outcome}`;
  if (error instanceof DeidRuleError) return `${error.message}: ${outcome}`;
  return `the rules could not be applied: ${outcome}`;
}

/** Runs `clinic-fhir deidentify` with checked arguments; the exit code. */
export async function deidentifyFiles(args: DeidArguments, print: (line: string) => void): Promise<number> {
  const files = await inputFiles(args.in);
  const outDir = resolve(args.out);
  if (files.some((file) => resolve(file, '..') === outDir)) throw new DeidUsageError('--out must not be the folder the input is in: the de-identified files would replace the originals.');
  await mkdir(outDir, { recursive: true });

  const run = new DeidRun({ profile: args.profile, config: args.config, dates: args.dates, k: args.k, quasi: args.quasi, keys: await deidKeys(args.secrets), linkable: args.linkable });
  const results: FileResult[] = files.map((file) => ({ file: basename(file), kind: /\.ndjson$/i.test(file) ? 'ndjson' : 'resource', resourcesIn: 0, resourcesOut: 0, written: false, problems: [], byType: {} }));
  const jsonOf = new Map<number, unknown>();

  // First pass: learn every patient's words and groups; find what each file is.
  for (const [index, file] of files.entries()) {
    const result = results[index]!;
    try {
      if (result.kind === 'ndjson') {
        for await (const line of ndjsonLines(file)) {
          const resource = parsedLine(line.text);
          if (resource === undefined) result.problems.push({ where: `line ${line.number}`, problem: 'not a FHIR resource as JSON: the line was left out' });
          else run.learn(resource);
        }
        continue;
      }
      const json: unknown = JSON.parse(await readFile(file, 'utf8'));
      jsonOf.set(index, json);
      if (isManifest(json)) result.kind = 'manifest';
      else if (isResource(json) && json['resourceType'] === 'Bundle') {
        result.kind = 'bundle';
        run.learnBundle(json);
      } else if (isResource(json)) run.learn(json);
      else {
        result.kind = 'unreadable';
        result.problems.push({ where: '', problem: 'not a FHIR Bundle, resource or $export manifest: the file was not written' });
      }
    } catch {
      result.kind = 'unreadable';
      result.problems.push({ where: '', problem: 'not valid JSON, or not readable: the file was not written' });
    }
  }

  // Second pass: de-identify and write.
  for (const [index, file] of files.entries()) {
    const result = results[index]!;
    const target = join(outDir, result.file);
    const counted = (resource: Json) => (result.byType[String(resource['resourceType'])] = (result.byType[String(resource['resourceType'])] ?? 0) + 1);
    try {
      if (result.kind === 'ndjson') {
        const out = createWriteStream(target, 'utf8');
        for await (const line of ndjsonLines(file)) {
          const resource = parsedLine(line.text);
          if (resource === undefined) continue;
          result.resourcesIn += 1;
          let done: Json | undefined;
          try {
            done = await run.resource(resource);
          } catch (error) {
            result.problems.push({ where: `line ${line.number}`, problem: leftOut(error, 'it was left out') });
            continue;
          }
          if (done === undefined) continue;
          result.resourcesOut += 1;
          counted(done);
          if (!out.write(`${JSON.stringify(done)}\n`)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        result.written = true;
      } else if (result.kind === 'bundle' || result.kind === 'resource') {
        const json = jsonOf.get(index) as Json;
        let done: Json | undefined;
        if (result.kind === 'bundle') {
          result.resourcesIn = Array.isArray(json['entry']) ? json['entry'].length : 0;
          done = await run.bundle(json);
          const entries = (done['entry'] as Json[] | undefined) ?? [];
          result.resourcesOut = entries.length;
          for (const entry of entries) if (isResource(entry['resource'])) counted(entry['resource']);
        } else {
          result.resourcesIn = 1;
          done = await run.resource(json);
          result.resourcesOut = done === undefined ? 0 : 1;
          if (done !== undefined) counted(done);
        }
        if (done !== undefined) {
          await writeFile(target, `${JSON.stringify(done, null, 1)}\n`);
          result.written = true;
        }
      }
    } catch (error) {
      result.problems.push({ where: '', problem: leftOut(error, 'the file was not written') });
      result.written = false;
    }
  }

  // The manifest, with the counts of what was written and its links reduced to the file names.
  const hashKey = (await deidKeys(args.secrets)).hash;
  for (const [index, result] of results.entries()) {
    if (result.kind !== 'manifest') continue;
    const manifest = jsonOf.get(index) as Json;
    const written = new Map(results.filter((r) => r.written && r.kind !== 'manifest').map((r) => [r.file, r]));
    const output = (manifest['output'] as Json[]).flatMap((item) => {
      const name = typeof item['url'] === 'string' ? basename(item['url'].split('?')[0]!) : '';
      const file = written.get(name);
      return file === undefined ? [] : [{ type: item['type'], url: name, count: file.resourcesOut }];
    });
    const request = typeof manifest['request'] === 'string' ? manifest['request'].split('?')[0]! : '';
    const groupOrPatient = /(?:Group|Patient)\/[A-Za-z0-9\-.]{1,64}/.exec(request)?.[0];
    await writeFile(
      join(outDir, result.file),
      `${JSON.stringify({ ...manifest, request: groupOrPatient === undefined ? request : request.replace(groupOrPatient, hashed(hashKey, groupOrPatient)), output, error: [] }, null, 1)}\n`,
    );
    result.written = true;
  }

  const report: DeidReport & { createdAt: string; files: FileResult[] } = { ...run.report(), createdAt: new Date().toISOString(), files: results };
  await writeFile(join(outDir, 'deid-report.json'), `${JSON.stringify(report, null, 1)}\n`);
  const problems = results.reduce((sum, result) => sum + result.problems.length, 0);
  print(`${report.resources.out} resources de-identified, ${report.resources.heldBack} held back, from ${files.length} files into ${args.out} (${report.profile}${report.safeHarbor ? ', Safe Harbor' : ''}).`);
  if (!args.linkable) print('The keys were random for this run: this output cannot be linked to any other run.');
  if (problems > 0) print(`${problems} problems: see deid-report.json.`);
  return problems > 0 ? 1 : 0;
}
