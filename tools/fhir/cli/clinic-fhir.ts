import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadFhirValidators } from '../validators';
import { locationText, resourcesIn, validateContents, type LocatedProblem } from './validate-files';

const usage = `Usage: npx clinic-fhir validate [--warnings] <file>...
       npx clinic-fhir sample ...   (not available yet)

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
  if (command === 'sample') {
    process.stderr.write('clinic-fhir sample is not available yet: only `clinic-fhir validate` is.\n');
    return 2;
  }
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
