/**
 * Synthetic records with PHI planted where Safe Harbor says identifiers hide,
 * the ordinary places and the tricky ones: names in extensions, in a
 * narrative's attributes and text, in a reference's display, in a nurse's
 * note typed without accents or in capitals; numbers written with other
 * separators than the record's; a date inside an identifier; a phone number
 * inside a base64 text attachment; a relative's address; a device's serial
 * number and UDI; coordinates; a plate; an age of 93. Every value in
 * `planted` is invented for this corpus. `kept` lists what must survive.
 */

type Json = Record<string, unknown>;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export interface PhiCase {
  /** A transaction Bundle with the records, linked by `urn:uuid:` as a clinic's export to a server is. */
  bundle: Json;
  /** The same records as standalone resources (NDJSON form), linked by `Type/id`. */
  resources: Json[];
  /** Every identifying value planted, as first written. */
  planted: string[];
  /** Clinical facts that must still be there: a FHIRPath-free description and a check on the de-identified resources. */
  kept: { what: string; holds: (resources: Json[]) => boolean }[];
}

const observationsOf = (resources: Json[]) => resources.filter((r) => r['resourceType'] === 'Observation');
const quantityOf = (r: Json) => (r['valueQuantity'] as { value?: number; unit?: string; comparator?: string } | undefined) ?? {};

export function phiCase(): PhiCase {
  const patient = {
    resourceType: 'Patient',
    id: 'pt-wanjiru-0001',
    meta: { lastUpdated: '2026-11-30T08:15:00Z', source: 'https://kisiwa-clinic.example.org/workstation/7' },
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p title="Amélie Wanjiru Ngoné">Patient <b>Amélie Wanjiru</b>, born 14 March 1987, phone +255 712 345 678, e-mail amelie.ngone@mailbox.example</p><img src="data:image/png;base64,iVBORw0KGgo="/><!-- MRN-19870314-0042 --></div>',
    },
    extension: [
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName', valueString: 'Kalolwe' },
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Ngarenanyuki', district: 'Meru', country: 'TZ' } },
      { url: 'urn:x:nickname', extension: [{ url: 'said', valueString: 'call her Mimi Wanjiru on 0754 987 321' }] },
    ],
    identifier: [
      { use: 'usual', system: 'urn:x:clinic-number', value: 'MRN-19870314-0042', assigner: { reference: 'Organization/org-kisiwa', display: 'Kisiwa Health Centre' } },
      { system: 'urn:x:national-id', value: '19870314-55321-00001-27' },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' },
    ],
    name: [{ use: 'official', family: 'Ngoné', given: ['Amélie', 'Wanjiru'], prefix: ['Mrs'], text: 'Mrs Amélie Wanjiru Ngoné' }],
    telecom: [
      { system: 'phone', value: '+255 712 345 678', use: 'mobile' },
      { system: 'fax', value: '+255 22 211 0099' },
      { system: 'email', value: 'amelie.ngone@mailbox.example' },
    ],
    gender: 'female',
    birthDate: '1987-03-14',
    address: [
      { use: 'home', line: ['Plot 17, Mbuyuni Lane'], city: 'Usa River', district: 'Arumeru', state: 'Arusha', postalCode: '23106', country: 'TZ' },
      { use: 'old', line: ['4417 Larkspur Court'], city: 'Hanover', state: 'NH', postalCode: '03601-1234', country: 'US' },
    ],
    photo: [{ contentType: 'image/jpeg', data: b64('JFIF fake photo of Amelie'), title: 'Amélie at intake' }],
    contact: [
      {
        relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }],
        name: { family: 'Mushi', given: ['Baraka'] },
        telecom: [{ system: 'phone', value: '+255 765 111 222' }],
        address: { line: ['Kijenge Street 9'], city: 'Arusha' },
        organization: { display: 'Tanzanite Haulage Ltd' },
      },
    ],
    managingOrganization: { reference: 'Organization/org-kisiwa', display: 'Kisiwa Health Centre' },
  };

  const elder = {
    resourceType: 'Patient',
    id: 'pt-elder-0002',
    name: [{ family: 'Lyimo', given: ['Zawadi'] }],
    gender: 'male',
    birthDate: '1931-07-02',
    address: [{ city: 'Moshi', state: 'Kilimanjaro', postalCode: '59012', country: 'US' }],
    identifier: [{ system: 'urn:x:clinic-number', value: 'KSW-4471-9921' }],
  };

  const practitioner = {
    resourceType: 'Practitioner',
    id: 'pr-okafor',
    identifier: [{ system: 'urn:x:nursing-licence', value: 'TNMC-448812' }],
    name: [{ family: 'Okafor', given: ['Chidinma'], prefix: ['Dr'] }],
    telecom: [{ system: 'email', value: 'c.okafor@kisiwa-clinic.example.org' }],
  };

  const organization = {
    resourceType: 'Organization',
    id: 'org-kisiwa',
    name: 'Kisiwa Health Centre',
    alias: ['Kisiwa Zahanati'],
    telecom: [{ system: 'phone', value: '+255 27 254 9000' }],
    address: [{ line: ['Old Moshi Road 3'], city: 'Usa River', state: 'Arusha' }],
  };

  const location = {
    resourceType: 'Location',
    id: 'loc-room-2',
    name: 'Kisiwa Health Centre, Room 2',
    position: { latitude: -3.36712, longitude: 36.85298 },
    address: { line: ['Old Moshi Road 3'], city: 'Usa River', postalCode: '23106', country: 'TZ' },
  };

  const relative = {
    resourceType: 'RelatedPerson',
    id: 'rp-mushi',
    patient: { reference: 'Patient/pt-wanjiru-0001' },
    name: [{ family: 'Mushi', given: ['Baraka'] }],
    telecom: [{ system: 'phone', value: '+255 765 111 222' }],
    birthDate: '1984-11-23',
  };

  const device = {
    resourceType: 'Device',
    id: 'dev-oximeter',
    udiCarrier: [{ deviceIdentifier: '00884838055316', carrierHRF: '(01)00884838055316(21)SN5503318' }],
    serialNumber: 'SN5503318',
    lotNumber: 'LOT20250611A',
    manufactureDate: '2025-06-11',
    deviceName: [{ name: 'Nonin 3230 serial SN5503318', type: 'user-friendly-name' }],
    owner: { reference: 'Organization/org-kisiwa', display: 'Kisiwa Health Centre' },
  };

  const encounter = {
    resourceType: 'Encounter',
    id: 'enc-1',
    identifier: [{ system: 'urn:x:visit', value: 'V-2026-11-30-0007' }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: { reference: 'Patient/pt-wanjiru-0001', display: 'Amélie Ngoné' },
    participant: [{ individual: { reference: 'Practitioner/pr-okafor', display: 'Dr Chidinma Okafor' } }],
    period: { start: '2026-11-30T08:05:00+03:00', end: '2026-11-30T09:40:00+03:00' },
    reasonCode: [{ text: 'Dizziness after the bus from Ngarenanyuki; brought by Baraka Mushi' }],
    location: [{ location: { reference: 'Location/loc-room-2', display: 'Kisiwa Health Centre, Room 2' } }],
  };

  const spo2 = {
    resourceType: 'Observation',
    id: 'obs-spo2',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' }] },
    subject: { reference: 'Patient/pt-wanjiru-0001', display: 'Amélie Wanjiru Ngoné' },
    encounter: { reference: 'Encounter/enc-1' },
    effectiveDateTime: '2026-11-30T08:20:00+03:00',
    issued: '2026-11-30T08:20:31.000+03:00',
    performer: [{ reference: 'Practitioner/pr-okafor', display: 'Dr C. Okafor' }],
    device: { reference: 'Device/dev-oximeter', display: 'Oximeter SN5503318' },
    valueQuantity: { value: 97, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    note: [
      {
        authorString: 'Chidinma Okafor',
        time: '2026-11-30T08:25:00+03:00',
        text: 'AMELIE NGONE (mrs wanjiru) felt dizzy; SpO2 97 % on air, pulse 88. Call back on 0712.345.678 or amelie.ngone@mailbox.example; seen 30/11/2026, next 14 Dec 2026. Portal https://kisiwa-clinic.example.org/p/19870314 from 10.20.30.40. Son drove plate T 482 DKL, VIN 1HGCM82633A004352; home at -3.36712, 36.85298. Her 93-year-old grandmother is fine.',
      },
    ],
  };

  const weight = {
    resourceType: 'Observation',
    id: 'obs-weight',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: 'Patient/pt-wanjiru-0001' },
    effectiveDateTime: '2026-11-30T08:30:00+03:00',
    valueQuantity: { value: 95, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  };

  const glucose = {
    resourceType: 'Observation',
    id: 'obs-glucose',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }] },
    subject: { reference: 'Patient/pt-elder-0002' },
    effectiveDateTime: '2026-11-30T10:02:00+03:00',
    valueQuantity: { value: 600, comparator: '>', unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    note: [{ text: 'Meter read HI. Mr Zawadi LYIMO, clinic number KSW 4471 9921, aged 95.' }],
  };

  const condition = {
    resourceType: 'Condition',
    id: 'cond-1',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }], text: 'Type 2 diabetes' },
    subject: { reference: 'Patient/pt-elder-0002' },
    onsetAge: { value: 93, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' },
    recordedDate: '2026-11-30',
  };

  const document = {
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status: 'current',
    subject: { reference: 'Patient/pt-wanjiru-0001' },
    date: '2026-11-30T09:00:00+03:00',
    content: [
      { attachment: { contentType: 'text/plain', data: b64('Referral for Amélie Ngoné, MRN-19870314-0042, tel +255 712 345 678. BP 128/84 mmHg.'), title: 'Referral letter for Ngoné' } },
      { attachment: { contentType: 'application/pdf', data: b64('%PDF-1.4 Amelie Ngone 19870314'), url: 'https://kisiwa-clinic.example.org/files/ngone.pdf' } },
    ],
  };

  const coverage = {
    resourceType: 'Coverage',
    id: 'cov-1',
    status: 'active',
    subscriberId: 'NHIF-99218833',
    dependent: '02',
    beneficiary: { reference: 'Patient/pt-wanjiru-0001' },
    payor: [{ reference: 'Organization/org-kisiwa', display: 'National Health Insurance Fund' }],
  };

  const audit = {
    resourceType: 'AuditEvent',
    id: 'audit-1',
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
    recorded: '2026-11-30T08:26:00+03:00',
    agent: [{ requestor: true, name: 'Chidinma Okafor', who: { reference: 'Practitioner/pr-okafor' }, network: { address: '10.20.30.41', type: '2' } }],
    source: { observer: { display: 'Workstation Kisiwa Room 2' } },
    entity: [{ what: { reference: 'Patient/pt-wanjiru-0001' } }],
  };

  const resources: Json[] = [patient, elder, practitioner, organization, location, relative, device, encounter, spo2, weight, glucose, condition, document, coverage, audit];

  // The same records as a transaction, linked by urn:uuid, with the conditional forms a server takes.
  const uuidOf = new Map(resources.map((r, i) => [`${String(r['resourceType'])}/${String(r['id'])}`, `urn:uuid:6f1c${String(i).padStart(4, '0')}-0b6e-4a53-9d2a-0c7f5e8d1a2${i % 10}`]));
  const relink = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(relink);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value as Json).map(([key, item]) => [key, key === 'reference' && typeof item === 'string' ? (uuidOf.get(item) ?? item) : relink(item)]));
  };
  const bundle = {
    resourceType: 'Bundle',
    id: 'export-kisiwa-20261130',
    identifier: { system: 'urn:x:batch', value: 'KSW-20261130-0001' },
    type: 'transaction',
    timestamp: '2026-11-30T10:00:00+03:00',
    entry: resources.map((resource) => {
      const key = `${String(resource['resourceType'])}/${String(resource['id'])}`;
      const rest = Object.fromEntries(Object.entries(resource).filter(([field]) => field !== 'id'));
      const conditional = resource === patient ? { method: 'PUT', url: 'Patient?identifier=urn:x:clinic-number|MRN-19870314-0042' } : { method: 'POST', url: String(resource['resourceType']), ...(resource === elder ? { ifNoneExist: 'identifier=urn:x:clinic-number|KSW-4471-9921' } : {}) };
      return { fullUrl: uuidOf.get(key), resource: relink(rest), request: conditional };
    }),
  };

  const planted = [
    'Amélie', 'Wanjiru', 'Ngoné', 'Mimi Wanjiru', 'Kalolwe', 'Ngarenanyuki', 'Meru', 'MRN-19870314-0042', '19870314-55321-00001-27', '123-45-6789',
    '+255 712 345 678', '+255 22 211 0099', 'amelie.ngone@mailbox.example', '0754 987 321', '1987-03-14', '14 March 1987', 'Mbuyuni Lane', 'Usa River', 'Arumeru',
    '23106', '4417 Larkspur Court', 'Hanover', '03601', 'Mushi', 'Baraka', '+255 765 111 222', 'Kijenge Street', 'Tanzanite Haulage', 'Lyimo', 'Zawadi',
    '1931-07-02', '1931', 'KSW-4471-9921', '59012', 'TNMC-448812', 'Okafor', 'Chidinma', 'c.okafor@kisiwa-clinic.example.org', 'Kisiwa Health Centre', 'Kisiwa Zahanati',
    '+255 27 254 9000', 'Old Moshi Road', '-3.36712', '36.85298', '1984-11-23', '00884838055316', 'SN5503318', 'LOT20250611A', '2025-06-11', 'V-2026-11-30-0007',
    '2026-11-30', '30/11/2026', '14 Dec 2026', 'kisiwa-clinic.example.org', '10.20.30.40', '10.20.30.41', 'T 482 DKL', '1HGCM82633A004352', 'NHIF-99218833',
    'KSW-20261130-0001', 'pt-wanjiru-0001', 'pt-elder-0002', 'export-kisiwa-20261130', 'Workstation Kisiwa', '93-year-old', 'aged 95',
  ];

  const kept: PhiCase['kept'] = [
    { what: 'the SpO2 of 97 %', holds: (out) => observationsOf(out).some((r) => quantityOf(r).value === 97 && quantityOf(r).unit === '%') },
    { what: 'the weight of 95 kg', holds: (out) => observationsOf(out).some((r) => quantityOf(r).value === 95 && quantityOf(r).unit === 'kg') },
    { what: 'the glucose beyond the meter’s range (> 600 mg/dL)', holds: (out) => observationsOf(out).some((r) => quantityOf(r).value === 600 && quantityOf(r).comparator === '>') },
    { what: 'the LOINC codes', holds: (out) => ['59408-5', '29463-7', '2339-0'].every((code) => JSON.stringify(out).includes(`"${code}"`)) },
    { what: 'the nurse’s clinical words', holds: (out) => JSON.stringify(out).includes('felt dizzy; SpO2 97 % on air, pulse 88') },
    { what: 'sex and state', holds: (out) => out.some((r) => r['gender'] === 'female' && JSON.stringify(r['address']).includes('Arusha')) },
    { what: 'the year of birth of a patient under 90', holds: (out) => out.some((r) => r['birthDate'] === '1987') },
    { what: 'the year of the visit', holds: (out) => out.some((r) => r['effectiveDateTime'] === '2026') },
    { what: 'ZIP3 of an ordinary US ZIP, 000 for a restricted one', holds: (out) => JSON.stringify(out).includes('"postalCode":"590"') && JSON.stringify(out).includes('"postalCode":"000"') },
    { what: 'an age over 89 as 90 or more', holds: (out) => out.some((r) => JSON.stringify(r['onsetAge']) === JSON.stringify({ value: 90, comparator: '>=', unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' })) },
    { what: 'observations still pointing at their patient', holds: (out) => {
      const patients = new Set(out.filter((r) => r['resourceType'] === 'Patient').map((r) => `Patient/${String(r['id'])}`));
      return observationsOf(out).every((r) => patients.has(String((r['subject'] as Json)['reference'])));
    } },
  ];
  return { bundle, resources, planted, kept };
}
