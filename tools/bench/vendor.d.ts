// pouchdb-browser ships no types; its API is the one sync/hub/vendor.d.ts
// describes for pouchdb-node (same PouchDB core, IndexedDB instead of LevelDB).
declare module 'pouchdb-browser' {
  import type { PouchStatic } from 'pouchdb-node';
  const PouchDB: PouchStatic;
  export default PouchDB;
}
