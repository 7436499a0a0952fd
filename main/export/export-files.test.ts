import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExportFiles } from './export-files';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
const files = () => {
  const root = mkdtempSync(join(tmpdir(), 'clinic-exports-'));
  roots.push(root);
  return { root, exports: createExportFiles(root, { now: () => new Date('2026-12-06T10:11:12Z') }) };
};

describe('export files (main process)', () => {
  it('gives each export a folder of its own, named by date, time and format, never by anyone in it', async () => {
    const { root, exports } = files();
    const first = await exports.open('ndjson');
    const second = await exports.open('ndjson');
    expect(first.exportId).toMatch(/^fhir-20261206-101112-ndjson-[0-9a-f]{8}$/);
    expect(second.exportId).not.toBe(first.exportId);
    expect(first.folder).toBe(join(root, first.exportId));
    expect(readdirSync(root).sort()).toEqual([first.exportId, second.exportId].sort());
  });

  it('gives HL7 v2 results a folder of their own kind, holding results.hl7 and no FHIR file name', async () => {
    const { exports } = files();
    const { exportId, folder } = await exports.open('hl7v2');
    expect(exportId).toMatch(/^hl7-20261206-101112-v2-[0-9a-f]{8}$/);
    expect(await exports.append(exportId, 'results.hl7', 0, 'MSH|^~\\&|A\r')).toEqual({ size: 11 });
    expect(readFileSync(join(folder, 'results.hl7'), 'utf8')).toBe('MSH|^~\\&|A\r');
    await expect(exports.append(exportId, '../results.hl7', 0, 'x')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('appends where told, and rewrites from an earlier point when an export resumes, so nothing is written twice', async () => {
    const { exports } = files();
    const { exportId, folder } = await exports.open('ndjson');
    // Sizes in bytes: é is two.
    expect(await exports.append(exportId, 'Patient.ndjson', 0, '{"a":"é"}\n')).toEqual({ size: 11 });
    expect(await exports.append(exportId, 'Patient.ndjson', 11, '{"b":2}\n')).toEqual({ size: 19 });
    // The second append's answer was lost; the worker resumes from what it last had confirmed.
    expect(await exports.append(exportId, 'Patient.ndjson', 11, '{"b":2}\n{"c":3}\n')).toEqual({ size: 27 });
    expect(readFileSync(join(folder, 'Patient.ndjson'), 'utf8')).toBe('{"a":"é"}\n{"b":2}\n{"c":3}\n');
  });

  it('cuts an interrupted export back to its last checkpoint, removing the files begun after it; refuses a file shorter than recorded', async () => {
    const { exports } = files();
    const { exportId, folder } = await exports.open('ndjson');
    await exports.append(exportId, 'Patient.ndjson', 0, '{"a":1}\n{"b":2}\n');
    await exports.append(exportId, 'Observation.ndjson', 0, '{"o":1}\n');
    await exports.rewind(exportId, { 'Patient.ndjson': 8 });
    expect(readdirSync(folder)).toEqual(['Patient.ndjson']);
    expect(readFileSync(join(folder, 'Patient.ndjson'), 'utf8')).toBe('{"a":1}\n');
    await expect(exports.rewind(exportId, { 'Patient.ndjson': 9 })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Start the export again/) as unknown });
    await expect(exports.rewind(exportId, { '../x.ndjson': 0 })).rejects.toMatchObject({ code: 'bad_request' });
    expect(readFileSync(join(folder, 'Patient.ndjson'), 'utf8')).toBe('{"a":1}\n');
  });

  it('refuses a gap, a file name an export never writes, and an export id that is not one', async () => {
    const { root, exports } = files();
    const { exportId } = await exports.open('transaction');
    await expect(exports.append(exportId, 'bundle.json', 5, 'x')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/shorter than expected/) as unknown });
    for (const name of ['../settings.json', 'notes.txt', 'Patient.ndjson.exe', 'patient.ndjson', '.hidden.json', 'bundle-1.json']) {
      await expect(exports.append(exportId, name, 0, 'x')).rejects.toMatchObject({ code: 'bad_request' });
    }
    await expect(exports.append('../../etc', 'bundle.json', 0, 'x')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(exports.rewind('fhir-20261206-101112-ndjson-00000000', {})).rejects.toMatchObject({ code: 'unavailable' });
    expect(readdirSync(join(root, exportId))).toEqual([]);
  });

  it('puts an export where the admin chose (Electron’s folder dialog) and finds it there after a restart; choosing nothing starts nothing', async () => {
    const { root } = files();
    const place = mkdtempSync(join(tmpdir(), 'clinic-chosen-'));
    roots.push(place);
    let answer: string | undefined = place;
    const exports = createExportFiles(root, { choosePlace: () => Promise.resolve(answer) });
    const { exportId, folder } = await exports.open('collection');
    expect(folder).toBe(join(place, exportId));
    await exports.append(exportId, 'bundle.json', 0, '{}');
    // The workstation restarts: the export is still found where it was put.
    const afterRestart = createExportFiles(root, { choosePlace: () => Promise.resolve(undefined) });
    expect(await afterRestart.folder(exportId)).toBe(folder);
    await afterRestart.rewind(exportId, { 'bundle.json': 1 });
    expect(readFileSync(join(folder, 'bundle.json'), 'utf8')).toBe('{');
    answer = undefined;
    await expect(exports.open('ndjson')).rejects.toMatchObject({ code: 'unavailable', message: 'No folder was chosen, so the export did not start.' });
    expect(readdirSync(place)).toEqual([exportId]);
  });
});
