import { AUDIT_SUBTYPE_SYSTEM, DICOM_SYSTEM } from '../audit/audit-event';

/**
 * Every URI the FHIR export writes, in one place: code systems, identifier
 * systems and extension URLs. A receiver's mapping table and our import read
 * the same strings, so a typo here would silently split one concept in two;
 * keeping them together makes such a change one reviewed line.
 */

// ---- external code systems -------------------------------------------------

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const SNOMED_CT = 'http://snomed.info/sct';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const OBSERVATION_INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
/** HL7 v2 table 0203, identifier types (MR medical record number, NI national identifier). */
export const IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** Encounter class (AMB: ambulatory, which a rural clinic visit is). */
export const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Encounter participant type (PPRF primary performer). */
export const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const PROVENANCE_PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
/** Provenance activity (CREATE, UPDATE). */
export const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
/** Organization type (prov: healthcare provider). */
export const ORGANIZATION_TYPE = 'http://terminology.hl7.org/CodeSystem/organization-type';
/** Location physical type (bu: building). */
export const LOCATION_PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
/** Consent scope (research) and the purpose of use a research consent permits (HRESCH, healthcare research). */
export const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
export const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
export { AUDIT_SUBTYPE_SYSTEM, DICOM_SYSTEM };

// ---- our own code systems ----------------------------------------------------

/**
 * The ACVPU letter. LOINC 67775-7's answer list is the NEMSIS AVPU scale,
 * which has no "new confusion"; rather than code four levels in one system
 * and the fifth in another, the letter itself is the code.
 */
export const ACVPU = 'urn:clinic-workstation:acvpu';
/** NEWS2 risk band (low, low-medium, medium, high): chart 2 has no code system of its own. */
export const NEWS2_RISK = 'urn:clinic-workstation:news2-risk';
/** Staff roles as the workstation's access policy names them (admin, clinician, nurse). */
export const STAFF_ROLE = 'urn:clinic-workstation:staff-role';
/** Which decoder read a device (app/devices/driver-ids.ts): what an import needs to rebuild the device identity. */
export const DEVICE_DRIVER = 'urn:clinic-workstation:device-driver';
/** What a facility can do for a referred patient (app/facilities/capabilities.ts): a HealthcareService's type. */
export const FACILITY_CAPABILITY = 'urn:clinic-workstation:facility-capability';
/** A facility's kind (hospital, clinic, health post, ...; app/facilities/capabilities.ts): a Location's type. */
export const FACILITY_KIND = 'urn:clinic-workstation:facility-kind';

// ---- identifier systems --------------------------------------------------------

/**
 * Store ids. They are random (`<prefix>-<uuid hex>`), so one system serves
 * every clinic; an import matches on them, and they keep a record findable
 * when its FHIR id had to be derived (a store id FHIR does not allow).
 */
export const PATIENT_ID = 'urn:clinic-workstation:patient-id';
export const READING_ID = 'urn:clinic-workstation:reading-id';
export const ENCOUNTER_ID = 'urn:clinic-workstation:encounter-id';
export const CONSENT_ID = 'urn:clinic-workstation:consent-id';
export const REFERRAL_ID = 'urn:clinic-workstation:referral-id';
/** A facility of the shared directory (app/facilities/directory-entry.ts), the destination of a referral. */
export const FACILITY_ID = 'urn:clinic-workstation:facility-id';
export const STAFF_ID = 'urn:clinic-workstation:staff-id';
export const CLINIC_ID = 'urn:clinic-workstation:clinic-id';
export const WORKSTATION_ID = 'urn:clinic-workstation:workstation-id';

/**
 * The clinic number's system: one per clinic, because two clinics issue
 * numbers independently and the same number may name two people.
 */
export function clinicNumberSystem(clinicId: string): string {
  return `urn:clinic-workstation:clinic:${clinicId}:clinic-number`;
}

// ---- extension URLs ----------------------------------------------------------------

const extension = (name: string) => `urn:clinic-workstation:fhir:extension:${name}`;

export const EXTENSION = {
  /**
   * On `Patient._birthDate` when nobody knew the date: the age estimated at
   * registration (`age`, a UCUM Age in years) and when it was estimated
   * (`estimatedAt`). `birthDate` then holds only the year, registration year
   * minus the estimate, which may be a year off either way.
   */
  estimatedAge: extension('estimated-age'),
  /** On Patient: when the record was created (ages estimated at registration grow from it). */
  registeredAt: extension('registered-at'),
  /** On an SpO2 Observation: breathing supplemental oxygen (true) or air (false). NEWS2 scores it. */
  onOxygen: extension('on-oxygen'),
  /** On an SpO2 Observation: the NEWS2 SpO2 scale (1 or 2) a clinician set. */
  spo2Scale: extension('spo2-scale'),
  /** On a device Observation: the device's raw frame the value was decoded from, for audit. */
  rawFrame: extension('raw-frame'),
  /** On a blood pressure component: the store id of the reading it came from. */
  readingId: extension('reading-id'),
  /** On AuditEvent (which has no identifier): the entry's place in its workstation's hash chain. */
  auditChain: extension('audit-chain'),
  /**
   * On a de-identified Patient (the ODH profile, and Safe Harbor under
   * k-anonymity): the age band in place of the birth date, a Range in UCUM
   * years (`low` alone for 90 and over).
   */
  ageBand: extension('age-band'),
  /** On Consent: who recorded the patient's decision on the chart (`by`, a Practitioner) and when (`at`). */
  consentRecorded: extension('consent-recorded'),
  /** On a facility's Location: its number of beds (unsignedInt). */
  facilityBeds: extension('facility-beds'),
  /**
   * On a facility's HealthcareService, one per capability the directory
   * knows: `capability` (code), `available` (boolean), when (`confirmedAt`)
   * and by whom (`confirmedBy`) it was last confirmed.
   */
  capabilityConfirmation: extension('capability-confirmation'),
  /** On a facility searchset entry's `search`: how its distance was measured (`road` or `straight-line`), and the drive's dry-season time by road. */
  distanceBy: extension('distance-by'),
  /** On a referral's ServiceRequest: the NEWS2 risk band (code) and score (text) it was made on. */
  referralNews2: extension('referral-news2'),
  travelTime: extension('travel-time'),
} as const;

/** FHIR's own extension for a searchset entry's distance from the point asked (Location `near` searches). */
export const LOCATION_DISTANCE = 'http://hl7.org/fhir/StructureDefinition/location-distance';
