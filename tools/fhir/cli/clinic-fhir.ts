import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exportFormats, type ExportFormat } from '../../../app/fhir/export/export-sink';
import { SampleFolderNotEmptyError, writeSample } from '../sample/write-sample';
import { deidentifyFiles, deidentifyUsage, DeidUsageError, readDeidArguments } from './deidentify';
import { loadFhirValidators } from '../validators';
import { locationText, resourcesIn, validateContents, type LocatedProblem } from './validate-files';

const usage = `Usage: npx clinic-fhir validate [--warnings] <file>...
       npx clinic-fhir sample --patients <n> --out <dir> [--format ndjson|transaction|collection] [--seed <n>]
       npx clinic-fhir deidentify --in <file|dir> --out <dir> [--profile safe-harbor|odh] [--config <file>] [--key-file <file>] [--dates year|shift] [--k <n> --quasi <names>]

sample writes a synthetic clinic's export (staff, devices, patients with several visits of vital signs,
weights and glucose results, some beyond the meter's range) through the app's own FHIR mapping into a
new or empty folder: <ResourceType>.ndjson files and manifest.json (ndjson, the default), or bundle.json
(transaction or collection; bundle-0001.json, bundle-0002.json, ... past 10,000 entries or about 20 MB a
file). The same seed (default 1) writes the same files.

validate checks FHIR R4 Bundles (.json), NDJSON (.ndjson, one resource per line) or single resources
(.json) with the validators the tests use; a $export manifest is recognised and skipped. It prints one
line per problem: file:entry N (as in Bundle.entry[N], from 0) or file:line N, the resource, the path,
the message and [the validator]; then a summary. Exit 1 if any error, 2 on bad usage.
Warnings are counted but printed only with --warnings: the fhir package warns "not found in value set"
for ordinary LOINC codes.`;

/** Bad usage: the reason in plain words (then the usage, when the command itself was wrong), and exit 2. */
function badUsage(reason: string, { showUsage = true } = {}): number {
  process.stderr.write(showUsage ? `${reason}\n${usage}\n` : `${reason}\n`);
  return 2;
}

/** `clinic-fhir validate`: one line per problem, then `N resources, E errors, W warnings in F files`. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'sample') return sample(rest);
  if (command === 'deidentify') return deidentify(rest);
  if (command !== 'validate') return badUsage(command === undefined ? 'No command given.' : `Unknown command "${command}".`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { warnings: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    // Node's own message goes on to explain `--`; its first sentence says it all.
    return badUsage(`${(error as Error).message.split('. ')[0] ?? 'Bad options'}.`);
  }
  const files = parsed.positionals;
  if (files.length === 0) return badUsage('No files given.');

  // Every file is read before the definitions load (two seconds), so a mistyped name fails at once.
  const texts: string[] = [];
  for (const file of files) {
    try {
      texts.push(await readFile(file, 'utf8'));
    } catch (error) {
      return badUsage(unreadable(file, error), { showUsage: false });
    }
  }

  loadFhirValidators();
  let resources = 0;
  let errors = 0;
  let warnings = 0;
  files.forEach((file, index) => {
    const contents = resourcesIn(file, texts[index] ?? '');
    if (contents.kind === 'skipped') {
      process.stdout.write(`${file}: skipped: ${contents.note}\n`);
      return;
    }
    const { checked, problems } = validateContents(contents);
    resources += checked;
    for (const problem of problems) {
      if (problem.severity === 'error') errors += 1;
      else warnings += 1;
      if (problem.severity === 'error' || parsed.values.warnings) process.stdout.write(`${problemLine(file, problem)}\n`);
    }
  });
  process.stdout.write(`${resources} resources, ${errors} errors, ${warnings} warnings in ${files.length} files\n`);
  return errors > 0 ? 1 : 0;
}

/** A whole number from `min` up, as typed; undefined for anything else ("10k", "1e3", "-1"). */
function wholeNumber(text: string | undefined, min: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min ? value : undefined;
}

/** `clinic-fhir sample`: the files written and a count, or why nothing was. */
async function sample(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { patients: { type: 'string' }, out: { type: 'string' }, format: { type: 'string', default: 'ndjson' }, seed: { type: 'string', default: '1' } }, allowPositionals: false });
  } catch (error) {
    return badUsage(`${(error as Error).message.split('. ')[0] ?? 'Bad options'}.`);
  }
  const { values } = parsed;
  const patients = wholeNumber(values.patients, 1);
  if (patients === undefined) return badUsage(values.patients === undefined ? 'Say how many patients: --patients <n>.' : `--patients must be a whole number from 1, not "${values.patients}".`);
  if (values.out === undefined || values.out === '') return badUsage('Say which folder to write to: --out <dir>.');
  const format = exportFormats.find((known) => known === values.format);
  if (format === undefined) return badUsage(`--format must be ndjson, transaction or collection, not "${values.format}".`);
  const seed = wholeNumber(values.seed, 0);
  if (seed === undefined || seed > 0xffff_ffff) return badUsage(`--seed must be a whole number from 0 to 4294967295, not "${values.seed}".`);
  try {
    const written = await writeSample({ patients, seed, format: format satisfies ExportFormat, out: values.out });
    process.stdout.write(`${written.resources} resources for ${patients} patients written to ${values.out}: ${written.files.join(', ')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SampleFolderNotEmptyError) return badUsage(error.message, { showUsage: false });
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(code === 'EACCES' || code === 'EPERM' ? `The folder "${values.out}" cannot be written to: permission denied.\n` : `The sample could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** `clinic-fhir deidentify`: see deidentify.ts; bad usage exits 2 with the reason and its own usage. */
async function deidentify(args: string[]): Promise<number> {
  let parsed;
  try {
    const option = { type: 'string' } as const;
    parsed = parseArgs({ args, options: { in: option, out: option, profile: option, config: option, 'key-file': option, dates: option, k: option, quasi: option }, allowPositionals: false });
  } catch (error) {
    process.stderr.write(`${(error as Error).message.split('. ')[0] ?? 'Bad options'}.\n${deidentifyUsage}\n`);
    return 2;
  }
  try {
    return await deidentifyFiles(await readDeidArguments(parsed.values), (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    if (error instanceof DeidUsageError) {
      process.stderr.write(`${error.message}\n${deidentifyUsage}\n`);
      return 2;
    }
    // Never the error's own words: they may quote a record.
    process.stderr.write('The de-identification stopped on an unexpected error; nothing written may be used.\n');
    return 1;
  }
}

/** Why a file could not be read, in words rather than an errno. */
function unreadable(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `The file "${file}" does not exist.`;
  if (code === 'EISDIR') return `"${file}" is a folder, not a file.`;
  if (code === 'EACCES' || code === 'EPERM') return `The file "${file}" cannot be read: permission denied.`;
  return `The file "${file}" cannot be read: ${error instanceof Error ? error.message : String(error)}.`;
}

/**
 * `bundle.json:entry 2: Observation/obs-1 Observation.status: Invalid code [fhir]`;
 * a warning's line starts `warning: `, so a reader (or grep) tells them apart.
 */
function problemLine(file: string, problem: LocatedProblem): string {
  const where = [file, locationText(problem.location)].filter((part) => part !== '').join(':');
  const subject = [problem.resourceLabel, problem.path].filter((part) => part !== '').join(' ');
  const line = `${where}: ${subject === '' ? '' : `${subject}: `}${problem.message} [${problem.validator}]`;
  return problem.severity === 'warning' ? `warning: ${line}` : line;
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
