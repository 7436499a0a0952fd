import { createHlcClock } from '../../app/records/hlc';
import { createAuditLog, type AuditLog } from './audit-log';
import { createClinicSettingsRepository, type ClinicSettingsRepository } from './clinic-settings';
import { createConflictDesk, type ConflictDeskHandle } from './conflict-desk';
import { createConflictRepository, type ConflictRepository } from './conflicts';
import { attachConflictDesk, type ClinicDatabase } from './database';
import { createKeptAside, type KeptAside } from './kept-aside';
import { createKeyring, type Keyring } from './keyring';
import { createLocalState, type LocalState } from './local-state';
import { createObservationRepository, type ObservationRepository } from './observations';
import { createConsentRepository, type ConsentRepository } from './consents';
import { createReferralRepository, type ReferralRepository } from './referrals';
import { createFacilityDirectory, type FacilityDirectory } from './facilities';
import { createFacilityOverrides, type FacilityOverrides } from './facility-overrides';
import { createPatientRepository, type PatientRepository } from './patients';
import { createFhirExporter, type FhirExporter } from './fhir-export';
import { createWorkstationDirectory, type WorkstationDirectory } from './workstations';

/**
 * This workstation's hybrid logical clock. Its node id is the workstation id,
 * which exists only once the clinic is set up or joined: until then it ticks
 * as `setup`, and `setNode` switches it.
 */
export interface WorkstationClock {
  tick(): string;
  /** A clock value seen from another workstation, so the next edit here sorts after it; a value of another format is ignored. */
  observe(hlc: string): void;
  setNode(workstationId: string): void;
}

function createWorkstationClock(): WorkstationClock {
  let clock = createHlcClock('setup');
  return {
    tick: () => clock.tick(),
    observe(hlc) {
      try {
        clock.observe(hlc);
      } catch {
        // A clock value from another version's format orders nothing here; the record itself was validated.
      }
    },
    setNode: (workstationId) => void (clock = createHlcClock(workstationId)),
  };
}

/** The store's parts, one per kind of record, each checking its caller's session and role itself. */
export interface StoreServices {
  db: ClinicDatabase;
  local: LocalState;
  clock: WorkstationClock;
  keyring: Keyring;
  audit: AuditLog;
  patients: PatientRepository;
  observations: ObservationRepository;
  consents: ConsentRepository;
  referrals: ReferralRepository;
  facilities: FacilityDirectory;
  facilityOverrides: FacilityOverrides;
  clinicSettings: ClinicSettingsRepository;
  conflicts: ConflictRepository;
  conflictDesk: ConflictDeskHandle;
  keptAside: KeptAside;
  workstations: WorkstationDirectory;
  fhirExport: FhirExporter;
}

export function createStoreServices(db: ClinicDatabase, options: { iterations?: number } = {}): StoreServices {
  const local = createLocalState(db);
  const clock = createWorkstationClock();
  const stamp = { clock: { tick: () => clock.tick() } };
  const audit = createAuditLog(db, local, stamp);
  // Arrivals from the hub that do not open are tested with the key the conflict desk holds while unlocked.
  const keptAside = createKeptAside(db, { key: () => conflictDesk.desk.key()?.dataKey });
  const conflictDesk = createConflictDesk(db, { ...stamp, keepAside: (arrival) => keptAside.keep(arrival), keepAsideStaff: (arrival) => keptAside.keepStaff(arrival) });
  attachConflictDesk(db, conflictDesk.desk);
  const keyring = createKeyring(db, local, { iterations: options.iterations, ...stamp });
  const workstations = createWorkstationDirectory(db, local, stamp);
  const observations = createObservationRepository(db, audit, stamp);
  const facilities = createFacilityDirectory(db);
  const clinicSettings = createClinicSettingsRepository(db, audit, stamp);
  return {
    db,
    local,
    clock,
    keyring,
    audit,
    patients: createPatientRepository(db, local, audit, stamp),
    observations,
    consents: createConsentRepository(db, audit, stamp),
    referrals: createReferralRepository(db, { audit, observations, clinicSettings, facilities }, stamp),
    facilities,
    facilityOverrides: createFacilityOverrides(db, stamp),
    clinicSettings,
    conflicts: createConflictRepository(db, audit, stamp),
    conflictDesk,
    keptAside,
    workstations,
    fhirExport: createFhirExporter(db, { keyring, audit, workstations, local }),
  };
}
