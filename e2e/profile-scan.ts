import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Which of `needles` appear anywhere in the files under `dir`, as Latin-1/UTF-8
 * bytes or as UTF-16LE (V8 serialises two-byte strings that way into
 * IndexedDB). Returns each found needle with the files it was found in.
 */
export async function scanForText(dir: string, needles: string[]): Promise<Map<string, string[]>> {
  const patterns = needles.map((text) => ({ text, forms: [Buffer.from(text, 'utf8'), Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')] }));
  const found = new Map<string, string[]>();
  for await (const path of files(dir)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      continue; // a lock file or a socket
    }
    for (const { text, forms } of patterns) {
      if (forms.some((form) => bytes.includes(form))) found.set(text, [...(found.get(text) ?? []), path]);
    }
  }
  return found;
}
