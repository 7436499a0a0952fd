import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { maxZipBytes, planExportZip, writeExportZip } from './export-zip';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function zipOf(folder: string): Promise<Record<string, Uint8Array>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await writeExportZip(folder, await planExportZip(folder), out);
  await ended;
  return unzipSync(new Uint8Array(Buffer.concat(chunks)));
}

describe('an export folder as one zip', () => {
  it('holds the export’s own files, byte for byte, larger than one read, and nothing else in the folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'clinic-zip-'));
    folders.push(folder);
    const observations = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ resourceType: 'Observation', id: `obs-${i}`, note: 'é'.repeat(i % 40) })).join('\n');
    writeFileSync(join(folder, 'Observation.ndjson'), observations);
    writeFileSync(join(folder, 'manifest.json'), '{"output":[]}');
    writeFileSync(join(folder, 'notes.txt'), 'not an export file');
    const zipped = await zipOf(folder);
    expect(Object.keys(zipped).sort()).toEqual(['Observation.ndjson', 'manifest.json']);
    expect(strFromU8(zipped['Observation.ndjson']!)).toBe(observations);
  });

  it('refuses a folder larger than a zip without ZIP64 can hold, before writing anything', async () => {
    const out = new PassThrough();
    await expect(writeExportZip('/nowhere', { files: [{ name: 'Observation.ndjson', bytes: maxZipBytes + 1 }], bytes: maxZipBytes + 1 }, out)).rejects.toThrow(/too large/);
    expect(out.readableLength).toBe(0);
  });
});
