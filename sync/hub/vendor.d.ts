// Types for the parts of the CouchDB engine the hub (and its tests) use: the
// packages ship none, and @types/pouchdb-node describes PouchDB 6.

declare module 'pouchdb-node' {
  export interface PouchOptions {
    /** Folder prefix for the LevelDB stores (ends with a slash). */
    prefix?: string;
    /** HTTP adapter: Basic credentials sent with every request. */
    auth?: { username: string; password: string };
    /** HTTP adapter: do not GET/PUT the database before the first call. */
    skip_setup?: boolean;
  }
  export interface PouchDocument {
    _id: string;
    _rev?: string;
    _deleted?: boolean;
    [field: string]: unknown;
  }
  export interface PouchWriteResult {
    ok?: boolean;
    id?: string;
    rev?: string;
    error?: string | boolean;
    status?: number;
    /** On a failed write: the error's name (`conflict`, `forbidden`, …) and message. */
    name?: string;
    message?: string;
  }
  export interface PouchAllDocs {
    total_rows: number;
    rows: { id: string; key: string; value: { rev: string; deleted?: true }; doc?: PouchDocument }[];
  }
  export interface PouchReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
  }
  export interface PouchChangesOptions {
    since?: number | 'now';
    limit?: number;
    include_docs?: boolean;
    style?: 'main_only' | 'all_docs';
    conflicts?: boolean;
    descending?: boolean;
    return_docs?: boolean;
    live?: boolean;
    filter?: '_selector';
    selector?: Record<string, unknown>;
    doc_ids?: string[];
  }
  export interface PouchChangesAnswer {
    results: unknown[];
    last_seq: number;
  }
  /** A pass over the feed (a promise of its answer), or a live feed (its `change` events) until cancelled. */
  export interface PouchChanges extends PromiseLike<PouchChangesAnswer> {
    on(event: 'change', listener: () => void): PouchChanges;
    cancel(): void;
  }
  export interface PouchDatabase {
    changes(options: PouchChangesOptions): PouchChanges;
    info(): Promise<{ db_name: string; doc_count: number }>;
    close(): Promise<void>;
    destroy(): Promise<void>;
    /** `revs_info` lists the document's revisions with whether each body is still stored (`available`). */
    get(id: string, options?: { conflicts?: boolean; rev?: string; revs_info?: boolean }): Promise<PouchDocument>;
    put(doc: PouchDocument): Promise<PouchWriteResult>;
    /** With `new_edits: false`, the revisions are stored as given and only failures are answered. */
    bulkDocs(docs: PouchDocument[] | { docs: PouchDocument[]; new_edits?: boolean }): Promise<PouchWriteResult[]>;
    allDocs(options?: { include_docs?: boolean; keys?: string[]; conflicts?: boolean }): Promise<PouchAllDocs>;
  }
  export interface PouchStatic {
    new (name: string, options?: PouchOptions): PouchDatabase;
    defaults(options: PouchOptions): PouchStatic;
    replicate(source: PouchDatabase, target: PouchDatabase, options?: { batch_size?: number }): Promise<PouchReplicationResult>;
    /** Added by express-pouchdb (pouchdb-all-dbs) once the engine starts. */
    allDbs?(): Promise<string[]>;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { PouchStatic } from 'pouchdb-node';

  export interface ExpressPouchOptions {
    mode?: 'custom' | 'minimumForPouchDB' | 'fullCouchDB';
    overrideMode?: { include?: string[]; exclude?: string[] };
  }
  export type Next = (error?: unknown) => void;
  export interface ExpressPouchApp {
    (req: IncomingMessage, res: ServerResponse, next?: Next): void;
    setPouchDB(PouchDB: PouchStatic): Promise<void>;
    use(handler: (error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => void): void;
    set(setting: string, value: unknown): void;
    disable(setting: string): void;
  }
  export default function expressPouchDB(options: ExpressPouchOptions): ExpressPouchApp;
}

declare module 'express-pouchdb/lib/create-or-delete-dbs.js' {
  import type { PouchDatabase, PouchStatic } from 'pouchdb-node';
  /** The router's own cache of open databases: creating through it means one LevelDB handle per database. */
  export function getOrCreateDB(PouchDB: PouchStatic, name: string): Promise<PouchDatabase>;
}

declare module 'osm-pbf-parser' {
  import type { Duplex } from 'node:stream';
  export interface OsmInfo {
    version?: number;
    timestamp?: number;
    changeset?: number;
    uid?: number;
    user?: string;
  }
  export type OsmItem =
    | { type: 'node'; id: number; lat: number; lon: number; tags: Record<string, string>; info?: OsmInfo }
    | { type: 'way'; id: number; tags: Record<string, string>; refs: number[]; info?: OsmInfo }
    | { type: 'relation'; id: number; tags: Record<string, string>; members: { type: string; id: number; role: string }[]; info?: OsmInfo };
  /** A stream: write the PBF bytes in, read arrays of items out. */
  export default function parser(): Duplex;
}
