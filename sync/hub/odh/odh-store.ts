import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The Open Data Hub's own store, apart from every clinic's databases: one
 * file per patient pseudonym, under the clinic that sent it
 * (`<data>/odh/clinics/<clinic>/<pseudonym>.json`), holding that patient's
 * de-identified records by `Type/id`. A withdrawal deletes the file (gone,
 * not a tombstone with old revisions behind it, as a database would keep) and
 * leaves a marker naming only the pseudonym, so a contribution sent before
 * the withdrawal reached every workstation is not stored again.
 */

type Json = Record<string, unknown>;

const pseudonymPattern = /^[0-9a-f]{64}$/;
const clinicPattern = /^clinic-[0-9a-f]{32}$/;

export interface OdhReceipt {
  receipt: string;
  accepted: number;
  patients: number;
  /** Records of pseudonyms withdrawn earlier, not stored. */
  withdrawn: number;
  receivedAt: string;
}

export class OdhSubmissionError extends Error {
  constructor(readonly rule: 'no-patient', readonly path: string) {
    super(`a record that belongs to no patient pseudonym (rule ${rule}) at ${path}`);
    this.name = 'OdhSubmissionError';
  }
}

/** The patient pseudonym a record belongs to: its own id for a Patient, else its subject's. */
function pseudonymOf(resource: Json): string | undefined {
  if (resource['resourceType'] === 'Patient') return typeof resource['id'] === 'string' && pseudonymPattern.test(resource['id']) ? resource['id'] : undefined;
  const reference = (resource['subject'] as { reference?: unknown } | undefined)?.reference;
  const match = typeof reference === 'string' ? /^Patient\/([0-9a-f]{64})$/.exec(reference) : null;
  return match?.[1];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}

export interface OdhStore {
  submit(clinicId: string, bundle: Json): Promise<OdhReceipt>;
  /** Removes what the pseudonym's records hold; true when there were any. */
  withdraw(clinicId: string, pseudonym: string): Promise<boolean>;
  /** Every stored patient's records, clinic by clinic. */
  patients(): AsyncGenerator<Json[]>;
}

export function openOdhStore(dataDir: string, now: () => Date = () => new Date()): OdhStore {
  const root = join(dataDir, 'odh', 'clinics');
  const clinicDir = (clinicId: string) => {
    if (!clinicPattern.test(clinicId)) throw new Error('not a clinic id');
    return join(root, clinicId);
  };
  // One change at a time per patient file: two workstations sending the same patient must not lose one's records.
  const queues = new Map<string, Promise<unknown>>();
  const serially = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(task, task);
    queues.set(key, next.catch(() => undefined));
    return next;
  };
  const readPatient = async (path: string): Promise<Record<string, Json>> => {
    try {
      return (JSON.parse(await readFile(path, 'utf8')) as { resources: Record<string, Json> }).resources;
    } catch {
      return {};
    }
  };
  const isWithdrawn = async (dir: string, pseudonym: string) =>
    readFile(join(dir, 'withdrawn', pseudonym), 'utf8').then(
      () => true,
      () => false,
    );

  return {
    async submit(clinicId, bundle) {
      const dir = clinicDir(clinicId);
      const entries = Array.isArray(bundle['entry']) ? (bundle['entry'] as Json[]) : [];
      const byPatient = new Map<string, Json[]>();
      entries.forEach((entry, index) => {
        const resource = entry['resource'] as Json;
        const pseudonym = pseudonymOf(resource);
        if (pseudonym === undefined) throw new OdhSubmissionError('no-patient', `Bundle.entry[${index}].resource`);
        byPatient.set(pseudonym, [...(byPatient.get(pseudonym) ?? []), resource]);
      });
      await mkdir(join(dir, 'withdrawn'), { recursive: true });
      let accepted = 0;
      let withdrawn = 0;
      for (const [pseudonym, resources] of byPatient) {
        const path = join(dir, `${pseudonym}.json`);
        await serially(path, async () => {
          if (await isWithdrawn(dir, pseudonym)) {
            withdrawn += resources.length;
            return;
          }
          const stored = await readPatient(path);
          for (const resource of resources) stored[`${String(resource['resourceType'])}/${String(resource['id'])}`] = resource;
          await writeAtomic(path, JSON.stringify({ resources: stored }));
          accepted += resources.length;
        });
      }
      const receipt = createHash('sha256').update(JSON.stringify(bundle)).digest('hex').slice(0, 32);
      return { receipt, accepted, patients: byPatient.size, withdrawn, receivedAt: now().toISOString() };
    },

    async withdraw(clinicId, pseudonym) {
      if (!pseudonymPattern.test(pseudonym)) throw new Error('not a pseudonym');
      const dir = clinicDir(clinicId);
      const path = join(dir, `${pseudonym}.json`);
      return serially(path, async () => {
        await mkdir(join(dir, 'withdrawn'), { recursive: true });
        await writeFile(join(dir, 'withdrawn', pseudonym), '', { mode: 0o600 });
        return unlink(path).then(
          () => true,
          () => false,
        );
      });
    },

    async *patients() {
      const clinics = await readdir(root).catch(() => [] as string[]);
      for (const clinic of clinics.filter((name) => clinicPattern.test(name)).sort()) {
        const files = (await readdir(join(root, clinic))).filter((name) => /^[0-9a-f]{64}\.json$/.test(name)).sort();
        for (const file of files) {
          const resources = Object.values(await readPatient(join(root, clinic, file)));
          if (resources.length > 0) yield resources;
        }
      }
    },
  };
}
