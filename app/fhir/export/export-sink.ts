import type { Resource } from '@medplum/fhirtypes';

/**
 * Where an export's files go: the main process's export folder in the app,
 * a folder on disk for `clinic-fhir sample`. Names are plain file names
 * (`Observation.ndjson`, `bundle-0001.json`, `manifest.json`); text is
 * appended in the order given.
 */
export interface ExportSink {
  append(file: string, text: string): Promise<void>;
  /** Sends on whatever the sink still holds; the writer's `finish` ends with it. */
  flush(): Promise<void>;
}

/** The formats an export is written in (the export screen and `clinic-fhir sample --format` offer these). */
export const exportFormats = ['ndjson', 'transaction', 'collection'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Takes resources in order and writes them in one format; `finish` writes what is held and names the files written. */
export interface ExportWriter {
  add(resources: readonly Resource[]): Promise<void>;
  finish(): Promise<{ files: string[]; resources: number }>;
}
