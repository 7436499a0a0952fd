import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Workstation } from '../compose';
import { maxZipBytes, planExportZip, writeExportZip } from '../export/export-zip';

/**
 * Browser mode's download of a finished export: `/downloads/<ticket>` (a
 * one-time ticket from `export.download`) answers the export's folder as one
 * zip, `<export id>.zip`. Refusals are plain words, for the browser's
 * download bar or tab.
 */
export async function serveExportDownload(workstation: Workstation, ticket: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const say = (status: number, words: string) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(`${words}\n`);
  if (req.method !== 'GET') {
    res.writeHead(405, { Allow: 'GET' }).end();
    return;
  }
  const opened = await workstation.redeemDownload(ticket).catch(() => undefined);
  if (!opened) {
    say(404, 'This download link was used already, has expired, or its export folder is gone. Go back to the export page and download again.');
    return;
  }
  const plan = await planExportZip(opened.folder);
  if (plan.bytes > maxZipBytes) {
    say(413, `This export is larger than one zip can hold (4 GB). Copy its folder instead: ${opened.folder}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${opened.exportId}.zip"`, 'Cache-Control': 'no-store' });
  // Past the headers a failure can only cut the download short, which the browser reports as failed.
  await writeExportZip(opened.folder, plan, res).catch(() => res.destroy());
}
