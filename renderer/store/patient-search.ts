import type { IndexReport } from '../../app/contract/data-api';
import { requirePermission } from '../../app/auth/roles';
import type { RecentPatients } from '../../app/patients/recent-patients';
import type { PatientSearchEntry, PatientSearchHit } from '../../app/search/patient-index';
import type { AuditLog } from './audit-log';
import type { ClinicDatabase } from './database';
import type { LocalState } from './local-state';
import { applyChanges, loadIndex, saveIndex, type IndexProgress, type IndexState } from './patient-index-cache';
import type { Session } from './session';
import { StoreError } from './store-error';

const searchAuditEveryMs = 60_000;

/**
 * What the patient repository holds decrypted while unlocked, shared by its
 * writes (which update the open index in place, patients.ts) and its search
 * (which opens and drops it, below).
 */
export interface HeldPatients {
  loaded: IndexState | undefined;
  // Kept beside the index and dropped with it: which charts were opened is about patients too.
  recentlyOpened: RecentPatients;
}

/** The patient list's side of the repository: search, recent charts, names by id; the index opens at unlock and is dropped at lock. */
export interface PatientSearch {
  recent(session: Session): Readonly<PatientSearchEntry>[];
  labels(session: Session, ids: readonly string[]): Map<string, Readonly<PatientSearchEntry>>;
  openIndex(session: Session, onProgress?: IndexProgress): Promise<IndexReport>;
  search(session: Session, query: string, limit?: number): PatientSearchHit[];
  /** Every patient the index holds (an import matches identifiers against them); refused while the index is closed. */
  known(session: Session): Iterable<Readonly<PatientSearchEntry>>;
  catchUp(session: Session): Promise<void>;
  closeIndex(session: Session): Promise<void>;
}

/** Results show names, so searching is audited too, at most once a minute with a count. */
function createSearchAudit(audit: AuditLog, now: () => number): (session: Session) => void {
  let searchesSinceAudit = 0;
  let lastSearchAudit = 0;
  return (session) => {
    searchesSinceAudit++;
    if (now() - lastSearchAudit >= searchAuditEveryMs) {
      void audit.record(session, { kind: 'patient.search', detail: { queries: searchesSinceAudit } }).catch(() => undefined);
      searchesSinceAudit = 0;
      lastSearchAudit = now();
    }
  };
}

export function createPatientSearch(db: ClinicDatabase, local: LocalState, audit: AuditLog, held: HeldPatients, now: () => number): PatientSearch {
  const index = () => held.loaded?.index;
  const searched = createSearchAudit(audit, now);

  return {
    /** The patients this person opened most recently in this session, newest first, as the search index has them. */
    recent(session: Session): Readonly<PatientSearchEntry>[] {
      requirePermission(session, 'patient.read');
      const open = index();
      if (!open) return [];
      return held.recentlyOpened.list(session.userId).flatMap((id) => open.get(id) ?? []);
    },

    /**
     * Who the patients named by id are (name, clinic number), as the search
     * index holds them decrypted in memory: for the audit log, which stores
     * only ids. No chart is opened, so nothing is audited; unknown ids are left out.
     */
    labels(session: Session, ids: readonly string[]): Map<string, Readonly<PatientSearchEntry>> {
      requirePermission(session, 'patient.read');
      const open = index();
      const found = new Map<string, Readonly<PatientSearchEntry>>();
      for (const id of ids) {
        const entry = open?.get(id);
        if (entry) found.set(id, entry);
      }
      return found;
    },

    /** Opens the search index: the sealed snapshot plus every record written since, or all records if there is none. */
    async openIndex(session: Session, onProgress?: IndexProgress): Promise<IndexReport> {
      requirePermission(session, 'patient.read');
      const state = await loadIndex(db, local, session, onProgress);
      held.loaded = state;
      // A first build is slow at clinic scale: keep it, so the next unlock is not. In the
      // background: the snapshot is only a cache of the records, so a failure loses nothing.
      if (state.changedSinceSnapshot > 0) void saveIndex(db, local, session, state).catch(() => undefined);
      return { patients: state.index.size, unreadable: [...state.unreadable] };
    },

    /** Search as you type. */
    search(session: Session, query: string, limit = 20): PatientSearchHit[] {
      requirePermission(session, 'patient.read');
      const open = index();
      if (!open) throw new StoreError('locked', 'The patient list is not open.');
      const hits = open.search(query, limit);
      searched(session);
      return hits;
    },

    known(session: Session): Iterable<Readonly<PatientSearchEntry>> {
      requirePermission(session, 'patient.read');
      const open = index();
      if (!open) throw new StoreError('locked', 'The patient list is not open.');
      return open.entries();
    },

    /** Applies records written since the index last looked (pulled from the hub, merged), so search sees them. */
    async catchUp(session: Session): Promise<void> {
      const open = held.loaded;
      if (open) await applyChanges(db, session, open);
    },

    /** Stores the index sealed for the next unlock, then forgets every decrypted patient. */
    async closeIndex(session: Session): Promise<void> {
      const closing = held.loaded;
      held.loaded = undefined;
      held.recentlyOpened.clear();
      if (closing) await saveIndex(db, local, session, closing).finally(() => closing.index.clear());
    },
  };
}
