import { requirePermission } from '../../app/auth/roles';
import type { ImportPreview, ImportResult } from '../../app/contract/data-api';
import { planImport, type ImportPlan, type PlannedPatient } from '../../app/fhir/import/import-plan';
import { importProblemKeys, type ImportProblem } from '../../app/fhir/import/import-problems';
import { importFileReader, type ImportFileReader, type SourcedResource } from '../../app/fhir/import/import-source';
import { derivedClinicNumber } from '../../app/fhir/import/patient-from-fhir';
import type { RecordedObservation } from '../../app/observations/observation';
import type { Patient } from '../../app/patients/patient';
import { nationalIdKey } from '../../app/search/identifier-keys';
import type { Consent } from '../../app/consents/consent';
import type { Visit } from '../../app/visits/visit';
import { readImportJournal, removeImportJournal, saveImportJournal, type ImportFile, type ImportJournal } from './import-journal';
import type { Session } from './session';
import type { StoreServices } from './store-services';
import { StoreError } from './store-error';

/**
 * An admin's FHIR import, in three steps: the files' text arrives in pieces
 * (`open`, `append`), `preview` reads and checks everything and says what
 * would be created, updated, left unchanged or skipped, and `commit` writes
 * it, only when no problem remains. Patients are matched by our store id,
 * by the clinic number in this clinic's system, or by the national ID when
 * exactly one patient here has it. Records keep stable ids, so an import run
 * twice changes nothing the second time, and one a restart interrupted is
 * carried on by choosing the same files again (import-journal.ts).
 */
export interface FhirImport {
  open(files: readonly ImportFile[]): void;
  append(file: number, text: string, last: boolean): void;
  preview(onProgress?: (done: number, total: number) => void): Promise<ImportPreview>;
  commit(onProgress?: (done: number, total: number) => void): Promise<ImportResult>;
  discard(): void;
  /** The import a restart interrupted, if any. */
  interrupted(): Promise<ImportJournal | undefined>;
}

/** The most problems a preview lists (all are counted). */
export const maxProblemsShown = 100;

interface Staged {
  files: readonly ImportFile[];
  readers: ImportFileReader[];
  ended: Set<number>;
  sourced: SourcedResource[];
  problems: ImportProblem[];
}

interface Prepared {
  files: readonly ImportFile[];
  create: Patient[];
  update: Patient[];
  readings: RecordedObservation[];
  visits: Visit[];
  consents: Consent[];
}

/** A patient's fields as compared: when the record was last written does not make it another. */
function sameRecord(a: Patient, b: Patient): boolean {
  const canonical = (patient: Patient) =>
    JSON.stringify(Object.entries(patient).filter(([name, value]) => name !== 'updatedAt' && value !== undefined).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

/**
 * What an import makes of a patient who is here already: its fields where it
 * has them, the stored ones where it has none (a file from another system
 * knowing less erases nothing), and a year of birth never replaces a known
 * date. The stored id, clinic number and registration stay.
 */
function merged(stored: Patient, imported: Patient): Patient {
  const keepDate = stored.birthDate !== undefined && imported.birthDate === undefined;
  return {
    ...stored,
    givenNames: imported.givenNames,
    familyName: imported.familyName,
    sex: imported.sex === 'unknown' ? stored.sex : imported.sex,
    birthDate: keepDate ? stored.birthDate : imported.birthDate,
    estimatedAgeYears: keepDate ? undefined : imported.estimatedAgeYears,
    phone: imported.phone ?? stored.phone,
    village: imported.village ?? stored.village,
    address: imported.address ?? stored.address,
    nationalId: imported.nationalId ?? stored.nationalId,
  };
}

const batch = 250;

export function createFhirImport(services: StoreServices, session: () => Session): FhirImport {
  const { patients, observations, local, audit, consents: consentRecords } = services;
  let staged: Staged | undefined;
  let prepared: Prepared | undefined;
  let committing = false;

  const admin = () => {
    const by = session();
    requirePermission(by, 'import.run');
    return by;
  };

  async function match(by: Session, plan: ImportPlan, problems: ImportProblem[], onProgress?: (done: number, total: number) => void) {
    const ids = new Set<string>();
    const byNumber = new Map<string, string>();
    const byNationalId = new Map<string, string[]>();
    for (const entry of patients.known(by)) {
      ids.add(entry.id);
      byNumber.set(entry.clinicNumber, entry.id);
      if (entry.nationalId === undefined) continue;
      const key = nationalIdKey(entry.nationalId);
      const same = byNationalId.get(key);
      if (same) same.push(entry.id);
      else byNationalId.set(key, [entry.id]);
    }
    const finalId = new Map<string, string>();
    const create: Patient[] = [];
    const createdIds = new Set<string>();
    const update: Patient[] = [];
    let unchanged = 0;
    const existingOf = (imported: PlannedPatient): { id: string } | 'ambiguous' | undefined => {
      const { match: keys, patient } = imported;
      if (keys.storeId !== undefined && ids.has(keys.storeId)) return { id: keys.storeId };
      if (ids.has(patient.id)) return { id: patient.id };
      const byOwnNumber = keys.clinicNumber === undefined ? undefined : byNumber.get(keys.clinicNumber);
      if (byOwnNumber !== undefined) return { id: byOwnNumber };
      const sameId = keys.nationalId === undefined ? [] : (byNationalId.get(nationalIdKey(keys.nationalId)) ?? []);
      if (sameId.length > 1) return 'ambiguous';
      return sameId[0] === undefined ? undefined : { id: sameId[0] };
    };
    for (const [i, imported] of plan.patients.entries()) {
      onProgress?.(i, plan.patients.length);
      const existing = existingOf(imported);
      if (existing === 'ambiguous') {
        problems.push({ ...imported.where, path: 'Patient.identifier', key: importProblemKeys.ambiguousMatch });
        continue;
      }
      if (existing === undefined) {
        let patient = imported.patient;
        // A number another patient here has already: a new one, the same on every run of this file.
        for (let attempt = 1; byNumber.has(patient.clinicNumber) && byNumber.get(patient.clinicNumber) !== patient.id; attempt++) {
          patient = { ...patient, clinicNumber: await derivedClinicNumber(patient.id, attempt) };
        }
        byNumber.set(patient.clinicNumber, patient.id);
        ids.add(patient.id);
        finalId.set(imported.patient.id, patient.id);
        create.push(patient);
        createdIds.add(patient.id);
        continue;
      }
      if (createdIds.has(existing.id)) {
        // Two resources of the files name the same patient record (our store id twice): which is right is for a person to say.
        problems.push({ ...imported.where, path: 'Patient.identifier', key: importProblemKeys.sameIdTwice });
        continue;
      }
      finalId.set(imported.patient.id, existing.id);
      const stored = await patients.find(by, existing.id);
      if (stored === undefined) throw new StoreError('not_found', 'A patient the list holds could not be read.');
      const next = merged(stored, imported.patient);
      if (sameRecord(stored, next)) unchanged++;
      else update.push(next);
    }
    return { finalId, create, update, unchanged };
  }

  async function newRecords<T extends { id: string }>(by: Session, records: readonly T[]): Promise<T[]> {
    const fresh: T[] = [];
    for (let i = 0; i < records.length; i += 1000) {
      const slice = records.slice(i, i + 1000);
      const stored = await observations.stored(by, slice.map((record) => record.id));
      fresh.push(...slice.filter((record) => !stored.has(record.id)));
    }
    return fresh;
  }

  return {
    open(files) {
      admin();
      if (committing) throw new StoreError('import_running', 'An import is being written: wait for it to finish.');
      const sourced: SourcedResource[] = [];
      const problems: ImportProblem[] = [];
      staged = {
        files,
        readers: files.map((file) => importFileReader(file.name, (found) => sourced.push(found), (found) => problems.push(found))),
        ended: new Set(),
        sourced,
        problems,
      };
      prepared = undefined;
    },

    append(file, text, last) {
      admin();
      const reader = staged?.readers[file];
      if (staged === undefined || reader === undefined || staged.ended.has(file)) throw new StoreError('import_not_ready', 'The files to import are not all here: choose them again.');
      reader.append(text);
      if (last) {
        reader.end();
        staged.ended.add(file);
      }
    },

    async preview(onProgress) {
      const by = admin();
      if (staged === undefined || staged.ended.size !== staged.files.length) throw new StoreError('import_not_ready', 'The files to import are not all here: choose them again.');
      const plan = await planImport(staged.sourced, { clinicId: by.clinicId, importedAt: new Date().toISOString(), importedBy: by.userId });
      const problems = [...staged.problems, ...plan.problems];
      const matched = await match(by, plan, problems, onProgress);
      const remap = <T extends { patientId: string }>(record: T): T => ({ ...record, patientId: matched.finalId.get(record.patientId) ?? record.patientId });
      const readings = await newRecords(by, plan.readings.map(remap));
      const visits = await newRecords(by, plan.visits.map(remap));
      const consents = await newRecords(by, plan.consents.map(remap));
      const preview: ImportPreview = {
        resources: plan.resources,
        patients: { created: matched.create.length, updated: matched.update.length, unchanged: matched.unchanged },
        readings: { created: readings.length, unchanged: plan.readings.length - readings.length },
        visits: { created: visits.length, unchanged: plan.visits.length - visits.length },
        consents: { created: consents.length, unchanged: plan.consents.length - consents.length },
        skipped: plan.skipped,
        problems: problems.slice(0, maxProblemsShown),
        problemCount: problems.length,
      };
      prepared = problems.length > 0 ? undefined : { files: staged.files, create: matched.create, update: matched.update, readings, visits, consents };
      return preview;
    },

    async commit(onProgress) {
      let by = admin();
      if (prepared === undefined) throw new StoreError('import_not_ready', 'Nothing can be imported until the files are checked and every problem in them is put right.');
      if (committing) throw new StoreError('import_running', 'An import is being written: wait for it to finish.');
      const work = prepared;
      committing = true;
      try {
        const total = work.create.length + work.update.length + work.readings.length + work.visits.length + work.consents.length;
        const journal: ImportJournal = { files: [...work.files], startedAt: new Date().toISOString(), total, written: 0 };
        await saveImportJournal(local, by, journal);
        let written = 0;
        const step = async (count: number) => {
          written += count;
          onProgress?.(written, total);
          // A lock ends the session this import writes with: it stops here, and is carried on after the next login.
          by = session();
          if (written - journal.written >= batch * 4 || written === total) {
            journal.written = written;
            await saveImportJournal(local, by, journal);
          }
        };
        for (const patient of work.create) {
          await patients.put(by, patient, 'create');
          await step(1);
        }
        for (const patient of work.update) {
          await patients.put(by, { ...patient, updatedAt: new Date().toISOString() }, 'update');
          await step(1);
        }
        for (let i = 0; i < work.readings.length; i += batch * 4) {
          const slice = work.readings.slice(i, i + batch * 4);
          await observations.putImported(by, slice, []);
          await step(slice.length);
        }
        await observations.putImported(by, [], work.visits);
        await step(work.visits.length);
        await consentRecords.putImported(by, work.consents);
        await step(work.consents.length);
        const result: ImportResult = { patients: { created: work.create.length, updated: work.update.length }, readings: work.readings.length, visits: work.visits.length, consents: work.consents.length };
        await audit.record(by, { kind: 'import.fhir', detail: { files: work.files.length, created: work.create.length, updated: work.update.length, readings: work.readings.length, visits: work.visits.length, consents: work.consents.length } });
        await removeImportJournal(local);
        prepared = undefined;
        staged = undefined;
        return result;
      } finally {
        committing = false;
      }
    },

    discard() {
      staged = undefined;
      prepared = undefined;
    },

    async interrupted() {
      const by = admin();
      return readImportJournal(local, by);
    },
  };
}
