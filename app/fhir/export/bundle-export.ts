import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { fullUrlFor } from '../ids';
import type { CheckpointHook, ExportSink, ExportWriter, WriterCheckpoint } from './export-sink';

/**
 * FHIR Bundles: `transaction` (each entry a PUT of the resource at its own
 * id, so sending a file twice changes nothing) or `collection`. One file,
 * `bundle.json`, unless the export passes `maxBundleEntries` entries or
 * `maxBundleChars` of text; then `bundle-0001.json`, `bundle-0002.json`, …,
 * each a Bundle of its own, in order (a server that checks references gets
 * the clinic, staff and patients before the records that refer to them).
 */

export const maxBundleEntries = 10_000;
/** About 20 MB of text a file. */
export const maxBundleChars = 20 * 1024 * 1024;

export interface BundleExportOptions {
  type: 'transaction' | 'collection';
  /** When the export began (ISO): each Bundle's `timestamp`. */
  startedAt: string;
  /** Carries on an interrupted export from its last checkpoint (the files cut back to it). */
  resumeFrom?: Extract<WriterCheckpoint, { writer: 'bundle' }>;
  onCheckpoint?: CheckpointHook;
  /** Overridden only by tests. */
  maxEntries?: number;
  maxChars?: number;
}

function entryOf(resource: Resource, type: BundleExportOptions['type']): BundleEntry {
  const id = resource.id ?? '';
  const fullUrl = fullUrlFor(resource.resourceType, id);
  return {
    ...(fullUrl === undefined ? {} : { fullUrl }),
    resource,
    ...(type === 'transaction' ? { request: { method: 'PUT', url: `${resource.resourceType}/${id}` } } : {}),
  };
}

/** The Bundle's text around entries already serialised, without parsing them back. */
function bundleText(type: BundleExportOptions['type'], timestamp: string, entries: readonly string[]): string {
  const shell: Bundle = { resourceType: 'Bundle', type, timestamp };
  // FHIR has no empty arrays: a Bundle with nothing in it has no `entry`.
  if (entries.length === 0) return `${JSON.stringify(shell)}\n`;
  const head = JSON.stringify(shell).slice(0, -1);
  return `${head},"entry":[\n${entries.join(',\n')}\n]}\n`;
}

export function createBundleExport(sink: ExportSink, options: BundleExportOptions): ExportWriter {
  const maxEntries = options.maxEntries ?? maxBundleEntries;
  const maxChars = options.maxChars ?? maxBundleChars;
  const files: string[] = [...(options.resumeFrom?.files ?? [])];
  let held: string[] = [];
  let heldChars = 0;
  let resources = options.resumeFrom?.resources ?? 0;
  let lastMark: string | undefined;
  // Held until it is full or the export ends: only then is it known whether there will be one file or several.
  const flush = async (last: boolean) => {
    // An empty export is still a Bundle, so whoever asked for one gets a file.
    if (held.length === 0 && !(last && files.length === 0)) return;
    const name = last && files.length === 0 ? 'bundle.json' : `bundle-${String(files.length + 1).padStart(4, '0')}.json`;
    await sink.append(name, bundleText(options.type, options.startedAt, held));
    files.push(name);
    held = [];
    heldChars = 0;
  };
  return {
    async add(batch, mark) {
      const texts = batch.map((resource) => JSON.stringify(entryOf(resource, options.type)));
      const chars = texts.reduce((sum, text) => sum + text.length, 0);
      // A file ends between two batches where it can: a patient's resources stay in one file, and an
      // interrupted export resumes from the end of the last file (what the one being filled held is lost).
      if (held.length > 0 && (held.length + texts.length > maxEntries || heldChars + chars > maxChars)) {
        await flush(false);
        if (lastMark !== undefined) await options.onCheckpoint?.({ mark: lastMark, state: { writer: 'bundle', resources, files: [...files] } });
      }
      for (const text of texts) {
        // A batch larger than a file is split.
        if (held.length > 0 && (held.length >= maxEntries || heldChars + text.length > maxChars)) await flush(false);
        held.push(text);
        heldChars += text.length;
        resources++;
      }
      lastMark = mark;
    },
    async finish() {
      await flush(true);
      await sink.flush();
      return { files, resources };
    },
  };
}
