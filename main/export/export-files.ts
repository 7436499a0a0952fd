import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../app/contract/errors';
import type { ExportFormat } from '../../app/fhir/export/export-sink';

/**
 * The files of FHIR exports, written by the main process (the data worker
 * reads, decrypts and maps; it cannot reach the disk). Each export gets a
 * folder of its own under `root`; only the names an export writes are
 * accepted (a page could call this directly), and each append says where in
 * the file it starts, so an export resumed after a restart or a lost answer
 * overwrites what was not confirmed instead of writing it twice. Every
 * append reaches the disk (fsync) before it is confirmed: the worker records
 * its progress only then, so a power cut never leaves it ahead of the file.
 */

/** `<Type>.ndjson`, `<Type>.2.ndjson`…, `manifest.json`, `bundle.json`, `bundle-0001.json`…: nothing else. */
export const exportFilePattern = /^(?:[A-Z][A-Za-z]{1,63}(?:\.[1-9]\d{0,3})?\.ndjson|manifest\.json|bundle(?:-\d{4})?\.json)$/;
/** An export's id is its folder's name: a date, a time and random hex, so it names no one and cannot climb out of `root`. */
export const exportIdPattern = /^fhir-\d{8}-\d{6}-(?:ndjson|transaction|collection)-[0-9a-f]{8}$/;

export interface ExportFolder {
  exportId: string;
  /** Where the files are, to show the admin. */
  folder: string;
}

export interface ExportFiles {
  open(format: ExportFormat): Promise<ExportFolder>;
  /** Writes `text` into `file` from byte `offset` (its end so far, or an earlier point to rewrite from); answers the file's size after. */
  append(exportId: string, file: string, offset: number, text: string): Promise<{ size: number }>;
  /** Each file's size in bytes, for resuming. */
  sizes(exportId: string): Promise<Record<string, number>>;
}

const refused = (message: string) => new ApiError({ code: 'bad_request', message });

export function createExportFiles(root: string, now: () => Date = () => new Date()): ExportFiles {
  const folderOf = (exportId: string) => {
    if (!exportIdPattern.test(exportId)) throw refused('That is not an export this workstation started.');
    return join(root, exportId);
  };
  const existing = async (exportId: string) => {
    const folder = folderOf(exportId);
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) throw new ApiError({ code: 'unavailable', message: 'That export’s folder is no longer there: start the export again.' });
    return folder;
  };
  return {
    async open(format) {
      const stamp = now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      const exportId = `fhir-${stamp}-${format}-${randomBytes(4).toString('hex')}`;
      const folder = folderOf(exportId);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      return { exportId, folder };
    },

    async append(exportId, file, offset, text) {
      if (!exportFilePattern.test(file)) throw refused('An export may only write its own files (Patient.ndjson, manifest.json, bundle.json, …).');
      const path = join(await existing(exportId), file);
      const size = (await stat(path).catch(() => undefined))?.size ?? 0;
      if (offset > size) throw new ApiError({ code: 'unavailable', message: `The export file ${file} is shorter than expected (a write before was lost): start the export again.` });
      // Not append mode: there, Linux writes at the end whatever position is asked.
      const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o600);
      try {
        if (offset < size) await handle.truncate(offset);
        const bytes = Buffer.from(text, 'utf8');
        await handle.write(bytes, 0, bytes.length, offset);
        await handle.sync();
        return { size: offset + bytes.length };
      } finally {
        await handle.close();
      }
    },

    async sizes(exportId) {
      const folder = await existing(exportId);
      const sizes: Record<string, number> = {};
      for (const name of await readdir(folder)) if (exportFilePattern.test(name)) sizes[name] = (await stat(join(folder, name))).size;
      return sizes;
    },
  };
}
