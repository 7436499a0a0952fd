import { z } from 'zod';
import { fhirIdPattern } from '../fhir/ids';

/**
 * A patient's decision about research use of their de-identified data by
 * the Open Data Hub, as recorded from the chart: consented (`active`),
 * `declined`, or `withdrawn` after consenting. Each decision is its own
 * sealed record (type `consent`), never changed: the chart shows the history,
 * and two workstations recording on the same day cannot conflict. The latest
 * decision (by when it was recorded) is the patient's consent now; only a
 * patient whose consent now is `active` contributes (FHIR's Consent,
 * app/fhir/consent.ts).
 */

export const consentStatuses = ['active', 'declined', 'withdrawn'] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

/** The policy a decision is about: research use of de-identified data by the Open Data Hub, in this version of its terms. */
export const odhResearchPolicy = 'urn:clinic-workstation:policy:odh-research:v1';

const fhirId = z.string().regex(fhirIdPattern);
const instant = z.iso.datetime({ offset: true });
/** The day the patient decided, as the clerk read it off the form. */
const day = z.iso.date();

export const consentSchema = z
  .object({
    id: fhirId,
    patientId: fhirId,
    status: z.enum(consentStatuses),
    policy: z.literal(odhResearchPolicy),
    /** The day the patient decided. */
    date: day,
    recordedAt: instant,
    /** A user id. */
    recordedBy: fhirId,
  })
  .strict();
export type Consent = z.infer<typeof consentSchema>;

/** i18n keys of the form's problems. */
export const consentFieldKeys = {
  status: 'consent.invalid.status',
  date: 'consent.invalid.date',
} as const;

/** What the chart's form sends: the decision and its day (not after today). */
export function consentInputSchema(today: string) {
  return z
    .object({
      status: z.enum(consentStatuses, { message: consentFieldKeys.status }),
      date: day.refine((value) => value <= today, { message: consentFieldKeys.date }),
    })
    .strict();
}
export type ConsentInput = z.infer<ReturnType<typeof consentInputSchema>>;

/** The patient's consent now: the decision recorded last (ties by id, so every workstation agrees). */
export function currentConsent(decisions: readonly Consent[]): Consent | undefined {
  return decisions.reduce<Consent | undefined>((latest, decision) => {
    if (latest === undefined) return decision;
    const order = Date.parse(decision.recordedAt) - Date.parse(latest.recordedAt) || decision.id.localeCompare(latest.id);
    return order > 0 ? decision : latest;
  }, undefined);
}
