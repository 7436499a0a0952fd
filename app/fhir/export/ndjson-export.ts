import { ndjsonFileName, type CheckpointHook, type ExportSink, type ExportWriter, type WriterCheckpoint } from './export-sink';
import { exportManifest } from './manifest';

/**
 * Bulk Data NDJSON: one file per resource type, one resource per line, and
 * a `manifest.json` shaped like a `$export` answer. A type's file rolls over
 * to `<Type>.2.ndjson` past `maxFileChars`: a zip entry cannot pass 4 GiB
 * without ZIP64, which the browser-mode download's zip does not write.
 */

/** About 1 GiB of text per file. */
export const maxNdjsonFileChars = 1024 ** 3;

export interface NdjsonExportOptions {
  /** When the export began (ISO): the manifest's `transactionTime`. */
  startedAt: string;
  /** Carries on an interrupted export from its last checkpoint (the files cut back to it). */
  resumeFrom?: Extract<WriterCheckpoint, { writer: 'ndjson' }>;
  onCheckpoint?: CheckpointHook;
  /** Overridden only by tests. */
  maxFileChars?: number;
}

interface TypeFile {
  part: number;
  chars: number;
  count: number;
}


export function createNdjsonExport(sink: ExportSink, options: NdjsonExportOptions): ExportWriter {
  const maxFileChars = options.maxFileChars ?? maxNdjsonFileChars;
  const open = new Map<string, TypeFile>(Object.entries(options.resumeFrom?.open ?? {}));
  const written: { type: string; file: string; count: number }[] = [...(options.resumeFrom?.written ?? [])];
  let resources = options.resumeFrom?.resources ?? 0;
  const close = (type: string, file: TypeFile) => written.push({ type, file: ndjsonFileName(type, file.part), count: file.count });
  return {
    async add(batch, mark) {
      // One append per file per batch: a batch is hundreds of resources, a write each would be thousands of calls.
      const texts = new Map<string, string>();
      for (const resource of batch) {
        const line = `${JSON.stringify(resource)}\n`;
        const type = resource.resourceType;
        let file = open.get(type) ?? { part: 1, chars: 0, count: 0 };
        if (file.count > 0 && file.chars + line.length > maxFileChars) {
          const name = ndjsonFileName(type, file.part);
          const pending = texts.get(name);
          if (pending !== undefined) await sink.append(name, pending);
          texts.delete(name);
          close(type, file);
          file = { part: file.part + 1, chars: 0, count: 0 };
        }
        open.set(type, { part: file.part, chars: file.chars + line.length, count: file.count + 1 });
        const name = ndjsonFileName(type, file.part);
        texts.set(name, (texts.get(name) ?? '') + line);
        resources++;
      }
      for (const [name, text] of texts) await sink.append(name, text);
      // Every batch goes to the sink as it is added: each point between two is a checkpoint.
      if (mark === undefined) return;
      await options.onCheckpoint?.({ mark, state: { writer: 'ndjson', resources, open: Object.fromEntries([...open].map(([type, file]) => [type, { ...file }])), written: written.map((entry) => ({ ...entry })) } });
    },
    async finish() {
      for (const [type, file] of open) close(type, file);
      open.clear();
      const manifest = exportManifest({ transactionTime: options.startedAt, outputs: written.map(({ type, file, count }) => ({ type, url: file, count })) });
      await sink.append('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
      await sink.flush();
      return { files: [...written.map((entry) => entry.file), 'manifest.json'], resources };
    },
  };
}
