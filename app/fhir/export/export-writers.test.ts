import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createBundleExport } from './bundle-export';
import type { CheckpointHook, ExportSink, ExportWriter, WriterCheckpoint } from './export-sink';
import { createNdjsonExport } from './ndjson-export';

const startedAt = '2025-06-30T18:00:00+03:00';

function memorySink(): ExportSink & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return { files, append: (file, text) => Promise.resolve(void files.set(file, (files.get(file) ?? '') + text)), flush: () => Promise.resolve() };
}

const patient = (n: number): Resource => ({ resourceType: 'Patient', id: `pat-${n.toString(16).padStart(32, '0')}` });
const observation = (n: number): Resource => ({ resourceType: 'Observation', id: `obs-${n.toString(16).padStart(32, '0')}`, status: 'final', code: { text: 'x' } });

describe('the NDJSON export', () => {
  it('writes one file per resource type, a resource a line in the order given, and a manifest counting them', async () => {
    const sink = memorySink();
    const writer = createNdjsonExport(sink, { startedAt });
    await writer.add([patient(1), observation(1), observation(2)]);
    await writer.add([patient(2)]);
    expect(await writer.finish()).toEqual({ files: ['Patient.ndjson', 'Observation.ndjson', 'manifest.json'], resources: 4 });
    expect(sink.files.get('Patient.ndjson')).toBe(`${JSON.stringify(patient(1))}\n${JSON.stringify(patient(2))}\n`);
    expect(JSON.parse(sink.files.get('manifest.json')!)).toEqual({
      transactionTime: startedAt,
      request: 'urn:clinic-workstation:file-export',
      requiresAccessToken: false,
      output: [
        { type: 'Patient', url: 'Patient.ndjson', count: 2 },
        { type: 'Observation', url: 'Observation.ndjson', count: 2 },
      ],
      error: [],
    });
  });

  it('goes on in a second file of the type past the size a file may reach, and lists both', async () => {
    const sink = memorySink();
    const line = JSON.stringify(observation(1)).length + 1;
    const writer = createNdjsonExport(sink, { startedAt, maxFileChars: line * 2 });
    await writer.add([observation(1), observation(2), observation(3)]);
    expect((await writer.finish()).files).toEqual(['Observation.ndjson', 'Observation.2.ndjson', 'manifest.json']);
    expect(sink.files.get('Observation.ndjson')!.split('\n').filter(Boolean)).toHaveLength(2);
    expect(sink.files.get('Observation.2.ndjson')).toBe(`${JSON.stringify(observation(3))}\n`);
    expect((JSON.parse(sink.files.get('manifest.json')!) as { output: unknown[] }).output).toEqual([
      { type: 'Observation', url: 'Observation.ndjson', count: 2 },
      { type: 'Observation', url: 'Observation.2.ndjson', count: 1 },
    ]);
  });
});

describe('the Bundle export', () => {
  it('writes one transaction, each entry a PUT of the resource at its id with a urn:uuid fullUrl', async () => {
    const sink = memorySink();
    const writer = createBundleExport(sink, { type: 'transaction', startedAt });
    await writer.add([patient(1), observation(1)]);
    expect(await writer.finish()).toEqual({ files: ['bundle.json'], resources: 2 });
    const bundle = JSON.parse(sink.files.get('bundle.json')!) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction', timestamp: startedAt });
    expect(bundle.entry?.[0]).toEqual({ fullUrl: 'urn:uuid:00000000-0000-0000-0000-000000000001', resource: patient(1), request: { method: 'PUT', url: `Patient/${patient(1).id}` } });
  });

  it('splits into numbered Bundles, in order, past the entries a file may hold; a collection’s entries carry no request', async () => {
    const sink = memorySink();
    const writer = createBundleExport(sink, { type: 'collection', startedAt, maxEntries: 2 });
    await writer.add([patient(1), observation(1), observation(2)]);
    await writer.add([patient(2), observation(3)]);
    expect((await writer.finish()).files).toEqual(['bundle-0001.json', 'bundle-0002.json', 'bundle-0003.json']);
    const ids = ['bundle-0001.json', 'bundle-0002.json', 'bundle-0003.json'].flatMap((file) => (JSON.parse(sink.files.get(file)!) as Bundle).entry!.map((entry) => entry.resource!.id));
    expect(ids).toEqual([patient(1), observation(1), observation(2), patient(2), observation(3)].map((resource) => resource.id));
    expect((JSON.parse(sink.files.get('bundle-0001.json')!) as Bundle).entry?.[0]?.request).toBeUndefined();
  });

  it('writes an empty export as a Bundle with no entries, not as no file', async () => {
    const sink = memorySink();
    const writer = createBundleExport(sink, { type: 'collection', startedAt });
    expect((await writer.finish()).files).toEqual(['bundle.json']);
    expect(JSON.parse(sink.files.get('bundle.json')!)).toEqual({ resourceType: 'Bundle', type: 'collection', timestamp: startedAt });
  });
});

describe('an export interrupted and carried on from its last checkpoint', () => {
  // Six batches (a page of patients each): a patient and their observations, marked with the patient.
  const batches = Array.from({ length: 6 }, (_, page) => ({ mark: `page-${page}`, resources: [patient(page), observation(page * 3), observation(page * 3 + 1), observation(page * 3 + 2)] }));
  type Make = (sink: ExportSink, resumeFrom?: WriterCheckpoint, onCheckpoint?: CheckpointHook) => ExportWriter;
  const ndjson: Make = (sink, resumeFrom, onCheckpoint) => createNdjsonExport(sink, { startedAt, maxFileChars: 700, ...(resumeFrom?.writer === 'ndjson' ? { resumeFrom } : {}), ...(onCheckpoint ? { onCheckpoint } : {}) });
  const bundles: Make = (sink, resumeFrom, onCheckpoint) => createBundleExport(sink, { type: 'transaction', startedAt, maxEntries: 6, ...(resumeFrom?.writer === 'bundle' ? { resumeFrom } : {}), ...(onCheckpoint ? { onCheckpoint } : {}) });

  it.each([
    ['NDJSON', ndjson],
    ['transaction Bundles', bundles],
  ])('%s: the files and their list are those of an export never interrupted, for a stop after any batch', async (_name, make) => {
    const whole = memorySink();
    // The files as they stood at each checkpoint (the sink has sent everything by then).
    const atCheckpoint = new Map<string, { state: WriterCheckpoint; files: Map<string, string> }>();
    const writer = make(whole, undefined, (point) => Promise.resolve(void atCheckpoint.set(point.mark, { state: point.state, files: new Map(whole.files) })));
    for (const batch of batches) await writer.add(batch.resources, batch.mark);
    const finished = await writer.finish();
    expect(atCheckpoint.size).toBeGreaterThanOrEqual(2);
    for (const [mark, { state, files }] of atCheckpoint) {
      const resumed = memorySink();
      for (const [name, text] of files) resumed.files.set(name, text);
      const carriedOn = make(resumed, state);
      for (const batch of batches.slice(batches.findIndex((b) => b.mark === mark) + 1)) await carriedOn.add(batch.resources, batch.mark);
      expect(await carriedOn.finish()).toEqual(finished);
      expect(resumed.files).toEqual(whole.files);
    }
  });

  it('a Bundle file ends between two batches, so a patient’s resources stay in one file', async () => {
    const sink = memorySink();
    const writer = bundles(sink);
    for (const batch of batches) await writer.add(batch.resources, batch.mark);
    const { files } = await writer.finish();
    for (const file of files) expect((JSON.parse(sink.files.get(file)!) as Bundle).entry).toHaveLength(4);
  });
});
