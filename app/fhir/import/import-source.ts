import { importProblemKeys as problem, type ImportPlace, type ImportProblem } from './import-problems';

/**
 * The resources in files an admin chose to import: NDJSON (one resource per
 * line, as a Bulk Data export writes them), a Bundle (ours, a server's, any
 * type), or a single resource. The text arrives in pieces (the screens read
 * the files in chunks), so NDJSON is read line by line as it comes and a JSON
 * document once it is whole. Each resource carries where it was found, for
 * the error that names it; nothing here says what is in it.
 */

export interface SourcedResource {
  /** Parsed JSON; checked against what the workstation reads later (fhir-input.ts). */
  resource: Record<string, unknown>;
  /** The file, and the line or Bundle entry. */
  where: ImportPlace;
  /** A Bundle entry's fullUrl: other entries may refer to the resource by it. */
  fullUrl?: string;
}

export interface ImportFileReader {
  /** The next piece of the file's text. */
  append(text: string): void;
  /** The file is whole: what remains is read. */
  end(): void;
}

/** Bulk Data files are NDJSON by name; a document is anything else. */
export function isNdjsonName(name: string): boolean {
  return /\.ndjson$/i.test(name);
}

/** An `$export` manifest (ours has `transactionTime`, `request` and `output`): a list of files, not a resource. */
function isExportManifest(value: Record<string, unknown>): boolean {
  return !('resourceType' in value) && 'transactionTime' in value && Array.isArray(value['output']);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resourcesOfDocument(value: unknown, file: string, resource: (found: SourcedResource) => void, refuse: (found: ImportProblem) => void): void {
  if (!isObject(value)) {
    refuse({ file, path: '', key: problem.notResource });
    return;
  }
  if (isExportManifest(value)) return;
  if (value['resourceType'] !== 'Bundle') {
    resource({ resource: value, where: { file } });
    return;
  }
  const entries = value['entry'];
  if (entries === undefined) return;
  if (!Array.isArray(entries)) {
    refuse({ file, path: 'Bundle.entry', key: problem.entryNotList });
    return;
  }
  entries.forEach((entry: unknown, i) => {
    const where = { file, entry: i + 1 };
    if (!isObject(entry) || !isObject(entry['resource'])) {
      refuse({ ...where, path: `Bundle.entry[${i}].resource`, key: problem.entryWithoutResource });
      return;
    }
    const fullUrl = typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined;
    resource({ resource: entry['resource'], where, ...(fullUrl === undefined ? {} : { fullUrl }) });
  });
}

/**
 * A reader for one file: resources and problems are handed on as they are
 * found (an NDJSON line as soon as it is complete).
 */
export function importFileReader(name: string, resource: (found: SourcedResource) => void, refuse: (found: ImportProblem) => void): ImportFileReader {
  if (isNdjsonName(name)) {
    let pending = '';
    let line = 0;
    const readLine = (text: string) => {
      line++;
      if (text.trim() === '') return;
      const where = { file: name, line };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        refuse({ ...where, path: '', key: problem.notJson });
        return;
      }
      if (!isObject(value)) refuse({ ...where, path: '', key: problem.notResource });
      else resource({ resource: value, where });
    };
    return {
      append(text) {
        const lines = (pending + text).split('\n');
        pending = lines.pop() ?? '';
        for (const text of lines) readLine(text.endsWith('\r') ? text.slice(0, -1) : text);
      },
      end() {
        if (pending !== '') readLine(pending);
        pending = '';
      },
    };
  }
  const parts: string[] = [];
  return {
    append(text) {
      parts.push(text);
    },
    end() {
      let value: unknown;
      try {
        value = JSON.parse(parts.join(''));
      } catch {
        refuse({ file: name, path: '', key: problem.notJson });
        return;
      } finally {
        parts.length = 0;
      }
      resourcesOfDocument(value, name, resource, refuse);
    },
  };
}
