import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { entryFromOsm, type DirectoryEntryContent } from '../../../app/facilities/directory-entry';
import { entriesFromFhirBundle, FacilityBundleError } from '../../../app/facilities/facility-fhir';
import { entriesFromHealthsites, healthsitesGeoJsonRows, type HealthsitesRow } from '../../../app/facilities/healthsites';
import { readOsmExtract } from '../region/osm-extract';

/**
 * A directory import's file read into entries, by its kind: an OSM PBF
 * extract (`.pbf`), a healthsites.io CSV (`.csv`), or JSON that is a
 * healthsites.io GeoJSON FeatureCollection or a FHIR Bundle. Every problem
 * with the file itself is a DirectoryFileError in plain words; rows or
 * resources that cannot be used are listed with their reasons, and the rest
 * imported.
 */

export class DirectoryFileError extends Error {
  override name = 'DirectoryFileError';
}

export interface DirectoryFile {
  format: 'osm' | 'healthsites-csv' | 'healthsites-geojson' | 'fhir';
  entries: DirectoryEntryContent[];
  skipped: string[];
}

async function text(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new DirectoryFileError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `There is no file at ${path}.` : `The file ${path} could not be read.`);
  }
}

export async function readDirectoryFile(path: string, importedAt: string): Promise<DirectoryFile> {
  const extension = extname(path).toLowerCase();
  if (extension === '.pbf') {
    const extract = await readOsmExtract(path).catch((error: unknown) => {
      throw new DirectoryFileError(error instanceof Error ? error.message : 'The extract could not be read.');
    });
    const skipped = extract.facilitiesWithoutPosition > 0 ? [`${extract.facilitiesWithoutPosition} facilities drawn as areas lie outside the extract`] : [];
    return { format: 'osm', entries: extract.facilities.map((facility) => entryFromOsm(facility, importedAt)), skipped };
  }
  if (extension === '.csv') {
    let rows: HealthsitesRow[];
    try {
      rows = parse<HealthsitesRow>(await text(path), { columns: true, skip_empty_lines: true, bom: true, trim: true });
    } catch (error) {
      if (error instanceof DirectoryFileError) throw error;
      const line = (error as { lines?: unknown }).lines;
      throw new DirectoryFileError(`The CSV file is malformed${typeof line === 'number' ? ` at line ${line}` : ''}: ${(error as Error).message.replace(/^Invalid Record Length: /, '').split(/[.:]/)[0]}.`);
    }
    if (rows.length > 0 && !('amenity' in rows[0]! || 'healthcare' in rows[0]!)) throw new DirectoryFileError('The CSV file has no "amenity" or "healthcare" column: it is not a healthsites.io export.');
    const result = entriesFromHealthsites(rows.map((row) => ({ row })), importedAt);
    return { format: 'healthsites-csv', entries: result.entries, skipped: result.skipped.map(({ row, reason }) => `row ${row}: ${reason}`) };
  }
  let value: unknown;
  try {
    value = JSON.parse(await text(path));
  } catch (error) {
    if (error instanceof DirectoryFileError) throw error;
    throw new DirectoryFileError('The file is not valid JSON (nor a .pbf extract or a .csv file).');
  }
  const kind = typeof value === 'object' && value !== null ? ((value as { type?: unknown; resourceType?: unknown }).resourceType ?? (value as { type?: unknown }).type) : undefined;
  if (kind === 'Bundle') {
    try {
      const result = entriesFromFhirBundle(value, importedAt);
      return { format: 'fhir', entries: result.entries, skipped: result.skipped.map(({ resource, reason }) => `${resource}: ${reason}`) };
    } catch (error) {
      throw new DirectoryFileError(error instanceof FacilityBundleError ? error.message : 'The FHIR Bundle could not be read.');
    }
  }
  if (kind === 'FeatureCollection') {
    const result = entriesFromHealthsites(healthsitesGeoJsonRows(value), importedAt);
    return { format: 'healthsites-geojson', entries: result.entries, skipped: result.skipped.map(({ row, reason }) => `feature ${row}: ${reason}`) };
  }
  throw new DirectoryFileError('The JSON file is neither a GeoJSON FeatureCollection (healthsites.io) nor a FHIR Bundle.');
}
