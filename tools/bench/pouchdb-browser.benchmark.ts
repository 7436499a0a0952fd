import type { PouchDatabase } from 'pouchdb-node';
import { copyHubDocuments } from './copy-hub-documents';

/**
 * The hub-sync benchmark's second reference, on the benchmark page: what the
 * peer clinics run today, PouchDB in the browser on IndexedDB (pouchdb-browser,
 * its default `idb` adapter, as CHT's browser app uses it), replicating with
 * the hub directly (the page is opened without CORS checks, as an app served
 * from the hub's own origin would be). PouchDB's defaults (batches of 100).
 */
export interface BrowserPouchTarget {
  hubUrl: string;
  /** Where the documents are read from (our clinic's records, as the hub holds them); not timed. */
  source: { database: string; username: string; password: string };
  /** The reference's own clinic on the same hub: the documents are copied in under its id. */
  target: { database: string; username: string; password: string; clinicId: string };
  docs: number;
}

export interface BrowserPouchResult {
  /** Filling the page's source PouchDB with the documents (not a figure of the comparison). */
  copyMs: number;
  pushMs: number;
  pullMs: number;
  pushed: number;
  pulled: number;
}

export async function runBrowserPouchReference(options: BrowserPouchTarget, progress: (line: string) => void): Promise<BrowserPouchResult> {
  const { default: PouchDB } = await import('pouchdb-browser');
  const stamp = Date.now().toString(36);
  const source = new PouchDB(`pouch-reference-source-${stamp}`);
  const copy = new PouchDB(`pouch-reference-copy-${stamp}`);
  const remote = (): PouchDatabase => new PouchDB(`${options.hubUrl}${options.target.database}`, { auth: { username: options.target.username, password: options.target.password } });
  try {
    const copyStarted = performance.now();
    const { source: from } = options;
    const copied = await copyHubDocuments({ url: `${options.hubUrl}${from.database}`, authorization: `Basic ${btoa(`${from.username}:${from.password}`)}` }, options.target.clinicId, source);
    if (copied !== options.docs) throw new Error(`the hub holds ${copied} documents, not ${options.docs}`);
    const copyMs = performance.now() - copyStarted;
    progress(`PouchDB in Chromium: ${copied} documents in its IndexedDB, pushing…`);

    const pushStarted = performance.now();
    const pushed = await PouchDB.replicate(source, remote());
    const pushMs = performance.now() - pushStarted;
    const onHub = (await remote().info()).doc_count;
    if (pushed.docs_written !== options.docs || onHub !== options.docs) throw new Error(`PouchDB in Chromium pushed ${pushed.docs_written} of ${options.docs} (the hub holds ${onHub})`);
    progress(`PouchDB in Chromium: push ${Math.round(pushMs)} ms, pulling…`);

    const pullStarted = performance.now();
    const pulled = await PouchDB.replicate(remote(), copy);
    const pullMs = performance.now() - pullStarted;
    if (pulled.docs_written !== options.docs) throw new Error(`PouchDB in Chromium pulled ${pulled.docs_written} of ${options.docs}`);
    return { copyMs, pushMs, pullMs, pushed: pushed.docs_written, pulled: pulled.docs_written };
  } finally {
    await Promise.all([source.destroy(), copy.destroy()]).catch(() => undefined);
  }
}
