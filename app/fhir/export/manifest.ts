/**
 * The manifest of an NDJSON export, shaped like a Bulk Data `$export`
 * completion answer so tools that read those read it. Two departures, as a
 * file export has no server: `request` is a `urn:` naming this kind of
 * export rather than the URL of a kick-off request, and each `url` is the
 * file's name beside the manifest rather than an absolute URL.
 * `clinic-fhir validate` recognises it by its shape and skips it.
 */
export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: false;
  output: { type: string; url: string; count: number }[];
  error: [];
}

export const fileExportRequest = 'urn:clinic-workstation:file-export';

export function exportManifest(input: { transactionTime: string; outputs: readonly { type: string; url: string; count: number }[] }): ExportManifest {
  return { transactionTime: input.transactionTime, request: fileExportRequest, requiresAccessToken: false, output: [...input.outputs], error: [] };
}
