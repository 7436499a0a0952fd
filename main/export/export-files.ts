import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../app/contract/errors';
import { writeFileAtomic } from '../services/atomic-file';
import type { ExportFolderFormat } from '../../app/contract/hl7-endpoint';

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

/** `<Type>.ndjson`, `<Type>.2.ndjson`…, `manifest.json`, `bundle.json`, `bundle-0001.json`…, HL7 v2's `results.hl7`: nothing else. */
export const exportFilePattern = /^(?:[A-Z][A-Za-z]{1,63}(?:\.[1-9]\d{0,3})?\.ndjson|manifest\.json|bundle(?:-\d{4})?\.json|results\.hl7)$/;
/** An export's id is its folder's name: a date, a time and random hex, so it names no one and cannot climb out of `root`. */
export const exportIdPattern = /^(?:fhir-\d{8}-\d{6}-(?:ndjson|transaction|collection)|hl7-\d{8}-\d{6}-v2)-[0-9a-f]{8}$/;

export interface ExportFolder {
  exportId: string;
  /** Where the files are, to show the admin. */
  folder: string;
}

export interface ExportFiles {
  open(format: ExportFolderFormat): Promise<ExportFolder>;
  /** Writes `text` into `file` from byte `offset` (its end so far, or an earlier point to rewrite from); answers the file's size after. */
  append(exportId: string, file: string, offset: number, text: string): Promise<{ size: number }>;
  /**
   * Cuts an interrupted export's files back to the sizes its last checkpoint
   * recorded and removes the files it did not know yet, for the export to
   * carry on from there. A file shorter than its recorded size (the folder
   * was tampered with) cannot be resumed.
   */
  rewind(exportId: string, sizes: Record<string, number>): Promise<void>;
  /** Where an export's files are (StoreError-like `unavailable` when its folder is gone). */
  folder(exportId: string): Promise<string>;
}

const refused = (message: string) => new ApiError({ code: 'bad_request', message });

export interface ExportFilesOptions {
  now?: () => Date;
  /**
   * Asks the admin where to put a new export (Electron's folder dialog);
   * undefined when they close it without choosing. Without it, exports go
   * under `root` (browser mode: the host's export folder, then a zip download).
   */
  choosePlace?: () => Promise<string | undefined>;
}

/** Which folder each export chosen elsewhere went into, kept under `root` so a resumed export finds its files after a restart. */
const placesSchema = z.record(z.string().regex(exportIdPattern), z.string().min(1).max(4096));

export function createExportFiles(root: string, options: ExportFilesOptions = {}): ExportFiles {
  const now = options.now ?? (() => new Date());
  const placesFile = join(root, 'places.json');
  // Read once: only this process writes the file, and every append asks where its export is.
  let places: Promise<Record<string, string>> | undefined;
  const knownPlaces = (): Promise<Record<string, string>> =>
    (places ??= readFile(placesFile, 'utf8').then(
      (text) => {
        try {
          const parsed = placesSchema.safeParse(JSON.parse(text));
          return parsed.success ? parsed.data : {};
        } catch {
          return {};
        }
      },
      () => ({}),
    ));
  const folderOf = async (exportId: string) => {
    if (!exportIdPattern.test(exportId)) throw refused('That is not an export this workstation started.');
    return join((await knownPlaces())[exportId] ?? root, exportId);
  };
  const existing = async (exportId: string) => {
    const folder = await folderOf(exportId);
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) throw new ApiError({ code: 'unavailable', message: 'That export’s folder is no longer there: start the export again.' });
    return folder;
  };
  return {
    async open(format) {
      const stamp = now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      // `fhir-<date>-<time>-<format>-<hex>`, or `hl7-<date>-<time>-v2-<hex>` for HL7 v2 results.
      const exportId = format === 'hl7v2' ? `hl7-${stamp}-v2-${randomBytes(4).toString('hex')}` : `fhir-${stamp}-${format}-${randomBytes(4).toString('hex')}`;
      if (!options.choosePlace) {
        const folder = join(root, exportId);
        await mkdir(folder, { recursive: true, mode: 0o700 });
        return { exportId, folder };
      }
      const place = await options.choosePlace();
      if (place === undefined) throw new ApiError({ code: 'unavailable', message: 'No folder was chosen, so the export did not start.' });
      const folder = join(place, exportId);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await mkdir(root, { recursive: true, mode: 0o700 });
      // A power cut leaves the old list or the new, never half of one.
      const next = { ...(await knownPlaces()), [exportId]: place };
      await writeFileAtomic(placesFile, JSON.stringify(next));
      places = Promise.resolve(next);
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

    folder: existing,

    async rewind(exportId, sizes) {
      const folder = await existing(exportId);
      for (const [name, size] of Object.entries(sizes)) {
        if (!exportFilePattern.test(name)) throw refused('An export may only write its own files (Patient.ndjson, manifest.json, bundle.json, …).');
        const actual = (await stat(join(folder, name)).catch(() => undefined))?.size ?? 0;
        if (actual < size) throw new ApiError({ code: 'unavailable', message: `The export file ${name} is shorter than when the export was interrupted: it cannot be carried on. Start the export again.` });
      }
      for (const name of await readdir(folder)) {
        if (!exportFilePattern.test(name)) continue;
        const size = sizes[name];
        if (size === undefined) await rm(join(folder, name), { force: true });
        else await truncate(join(folder, name), size);
      }
    },
  };
}
