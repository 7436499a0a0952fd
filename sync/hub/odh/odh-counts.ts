/**
 * Aggregate counts of the Open Data Hub's readings for researchers: how many
 * Observations per cell of month, district, age band, sex and code (any of
 * them), with every cell smaller than k left out and counted as suppressed,
 * so no small group can be singled out from the table.
 */

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export const countDimensions = ['month', 'district', 'age-band', 'sex', 'code'] as const;
export type CountDimension = (typeof countDimensions)[number];

/** The hub's floor for k: a researcher may ask for larger cells, never smaller. */
export const minimumK = 5;

const ageBandUrl = 'urn:clinic-workstation:fhir:extension:age-band';

function patientValues(patient: Json | undefined): Record<'district' | 'age-band' | 'sex', string> {
  const address = (patient?.['address'] as Json[] | undefined)?.[0];
  const band = (patient?.['extension'] as Json[] | undefined)?.find((extension) => extension['url'] === ageBandUrl)?.['valueRange'] as { low?: { value?: number }; high?: { value?: number } } | undefined;
  const low = band?.low?.value;
  const high = band?.high?.value;
  return {
    district: typeof address?.['district'] === 'string' ? `${text(address['state'])}/${address['district']}` : typeof address?.['state'] === 'string' ? String(address['state']) : 'unknown',
    'age-band': low === undefined ? 'unknown' : high === undefined ? `${low}+` : `${low}-${high}`,
    sex: typeof patient?.['gender'] === 'string' ? patient['gender'] : 'unknown',
  };
}

function observationValues(observation: Json): Record<'month' | 'code', string> {
  const effective = observation['effectiveDateTime'] ?? (observation['effectivePeriod'] as Json | undefined)?.['start'];
  const coding = ((observation['code'] as Json | undefined)?.['coding'] as Json[] | undefined)?.[0];
  return {
    month: typeof effective === 'string' && /^\d{4}-\d{2}/.test(effective) ? effective.slice(0, 7) : 'unknown',
    code: coding === undefined ? 'unknown' : `${text(coding['system'])}|${text(coding['code'])}`,
  };
}

export interface CountTable {
  by: CountDimension[];
  k: number;
  cells: (Partial<Record<CountDimension, string>> & { count: number })[];
  /** Observations in cells smaller than k, left out. */
  suppressed: number;
  suppressedCells: number;
}

export async function countObservations(patients: AsyncIterable<Json[]>, by: readonly CountDimension[], k: number): Promise<CountTable> {
  const counts = new Map<string, number>();
  for await (const resources of patients) {
    const patient = resources.find((resource) => resource['resourceType'] === 'Patient');
    const own = patientValues(patient);
    for (const observation of resources.filter((resource) => resource['resourceType'] === 'Observation')) {
      const values = { ...own, ...observationValues(observation) };
      const key = JSON.stringify(by.map((dimension) => values[dimension]));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const cells: CountTable['cells'] = [];
  let suppressed = 0;
  let suppressedCells = 0;
  for (const [key, count] of [...counts.entries()].sort()) {
    if (count < k) {
      suppressed += count;
      suppressedCells += 1;
      continue;
    }
    const values = JSON.parse(key) as string[];
    cells.push({ ...Object.fromEntries(by.map((dimension, i) => [dimension, values[i]!])), count });
  }
  return { by: [...by], k, cells, suppressed, suppressedCells };
}
