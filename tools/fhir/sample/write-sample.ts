import { appendFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { createBundleExport } from '../../../app/fhir/export/bundle-export';
import { clinicResources, readingDevices } from '../../../app/fhir/export/clinic-resources';
import type { ExportFormat, ExportSink, ExportWriter } from '../../../app/fhir/export/export-sink';
import { createNdjsonExport } from '../../../app/fhir/export/ndjson-export';
import { patientResources } from '../../../app/fhir/export/patient-resources';
import { syntheticClinic } from './synthetic-clinic';

/**
 * `clinic-fhir sample`: a synthetic clinic's export, written through the
 * app's own mapping (app/fhir/export) and serialisers, into a new or empty
 * folder. The export's time is fixed like the clinic's, so a seed gives the
 * same files every time.
 */

export interface SampleOptions {
  patients: number;
  seed: number;
  format: ExportFormat;
  out: string;
}

export const sampleExportTime = '2025-06-30T18:00:00+03:00';

/** Patients mapped between two writes. */
const patientsPerWrite = 100;

export class SampleFolderNotEmptyError extends Error {}

/** Appends to files in `dir`; the folder is new or was empty, so nothing is appended to an older export. */
async function folderSink(dir: string): Promise<ExportSink> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new SampleFolderNotEmptyError(`The folder "${dir}" is not empty: give a new or empty folder, so the sample is not mixed with other files.`);
  return { append: (file, text) => appendFile(join(dir, file), text), flush: () => Promise.resolve() };
}

export async function writeSample(options: SampleOptions): Promise<{ files: string[]; resources: number }> {
  const sink = await folderSink(options.out);
  const writer: ExportWriter =
    options.format === 'ndjson' ? createNdjsonExport(sink, { startedAt: sampleExportTime }) : createBundleExport(sink, { type: options.format, startedAt: sampleExportTime });
  const clinic = syntheticClinic({ patients: options.patients, seed: options.seed });
  const shared = await clinicResources({ clinic: clinic.clinic, staff: clinic.staff, workstations: [clinic.workstation] });
  await writer.add(shared.resources);
  const devices = new Set<string>();
  let batch: Resource[] = [];
  let inBatch = 0;
  for await (const { patient, visits, readings } of clinic.patients()) {
    // Devices before the Observations that name them: a server checking references takes them in order.
    batch.push(...(await readingDevices(readings, devices)));
    batch.push(...(await patientResources({ clinicId: clinic.clinic.clinicId, patient, visits, readings, workstationOf: () => clinic.workstation.workstationId }, shared.references)));
    if (++inBatch === patientsPerWrite) {
      await writer.add(batch);
      batch = [];
      inBatch = 0;
    }
  }
  await writer.add(batch);
  return writer.finish();
}
