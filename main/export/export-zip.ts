import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';
import { exportFilePattern } from './export-files';

/**
 * One export folder as a zip, written to `out` as it is made (browser mode's
 * download: a browser saves one file, not a folder). fflate writes no ZIP64,
 * so a zip stops at 4 GiB: a larger folder is refused before a byte is sent
 * (the admin copies the folder instead). Deflate runs on this thread, so it
 * goes 64 KiB at a time with a turn between, and waits when `out` is full:
 * device readings and the screens' calls go on while a large export zips.
 */

/** The most a zip without ZIP64 may hold, in bytes (sizes and offsets are 32-bit). */
export const maxZipBytes = 2 ** 32 - 1;

const chunkBytes = 64 * 1024;

export interface ZipPlan {
  files: { name: string; bytes: number }[];
  bytes: number;
}

/** The export's own files in the folder, and whether they fit one zip. */
export async function planExportZip(folder: string): Promise<ZipPlan> {
  const names = (await readdir(folder)).filter((name) => exportFilePattern.test(name)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(folder, name))).size })));
  return { files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function writeExportZip(folder: string, plan: ZipPlan, out: Writable): Promise<void> {
  if (plan.bytes > maxZipBytes) throw new Error('the export is too large for one zip');
  let failed: Error | undefined;
  let writable = true;
  const zip = new Zip((error, data, final) => {
    if (error) failed = error;
    else if (!out.write(data)) writable = false;
    if (final) out.end();
  });
  const roomInOut = async () => {
    if (!writable) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    // The browser went away (the download was cancelled): stop reading.
    if (out.destroyed) throw new Error('the download was closed');
    writable = true;
  };
  for (const file of plan.files) {
    const entry = new ZipDeflate(file.name, { level: 6 });
    zip.add(entry);
    for await (const chunk of createReadStream(join(folder, file.name), { highWaterMark: chunkBytes })) {
      entry.push(chunk as Buffer);
      if (failed) throw failed;
      await roomInOut();
      await turn();
    }
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
  if (failed) throw failed;
}
