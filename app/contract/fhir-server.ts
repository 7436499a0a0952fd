import { z } from 'zod';

/**
 * The FHIR server an admin pushes the clinic's records to when the link
 * returns (issue 14), as the screens and the main process speak of it. The
 * main process keeps it, secrets included, in its own file and never hands a
 * secret back: the screens see the address, the kind of authentication, a
 * user name or SMART client id, and for SMART Backend Services the public key
 * to register with the server (the private key never leaves the main
 * process).
 */

export const fhirServerAuthKinds = ['none', 'basic', 'bearer', 'smart'] as const;
export type FhirServerAuthKind = (typeof fhirServerAuthKinds)[number];

const baseUrl = z.url({ protocol: /^https?$/ }).max(500);
const secret = z.string().min(1).max(4096);

/** What an admin enters. */
export const fhirServerInputSchema = z.discriminatedUnion('auth', [
  z.object({ baseUrl, auth: z.literal('none') }).strict(),
  z.object({ baseUrl, auth: z.literal('basic'), username: z.string().min(1).max(200), password: secret }).strict(),
  z.object({ baseUrl, auth: z.literal('bearer'), token: secret }).strict(),
  /** SMART Backend Services: a client-credentials grant with a JWT assertion signed by this workstation's own key. */
  z.object({ baseUrl, auth: z.literal('smart'), clientId: z.string().min(1).max(200), scope: z.string().min(1).max(500) }).strict(),
]);
export type FhirServerInput = z.infer<typeof fhirServerInputSchema>;

/** What the screens are told. */
export const fhirServerSummarySchema = z.discriminatedUnion('configured', [
  z.object({ configured: z.literal(false) }).strict(),
  z
    .object({
      configured: z.literal(true),
      baseUrl,
      auth: z.enum(fhirServerAuthKinds),
      username: z.string().max(200).optional(),
      clientId: z.string().max(200).optional(),
      scope: z.string().max(500).optional(),
      /** SMART: the public key set to register with the server for this client id. */
      jwks: z.object({ keys: z.array(z.record(z.string(), z.string())).max(2) }).strict().optional(),
    })
    .strict(),
]);
export type FhirServerSummary = z.infer<typeof fhirServerSummarySchema>;

/** The most text one transaction carries to the main process: under the 4 MiB request limit however JSON escapes it (50 entries are about 50,000). */
export const maxTransactionChars = 1_000_000;

/** One problem the server reported, as its OperationOutcome said it. */
export const fhirIssueSchema = z.object({ severity: z.string().max(20), text: z.string().max(2000), expression: z.string().max(500).optional() }).strict();
export type FhirIssue = z.infer<typeof fhirIssueSchema>;

/** The server's answer to one transaction: stored (each entry's status), or refused whole (its issues). */
export const transactionAnswerSchema = z.discriminatedUnion('stored', [
  z.object({ stored: z.literal(true), entries: z.array(z.object({ status: z.string().max(100) }).strict()) }).strict(),
  z.object({ stored: z.literal(false), status: z.number().int().min(100).max(599), issues: z.array(fhirIssueSchema).max(100) }).strict(),
]);
export type TransactionAnswer = z.infer<typeof transactionAnswerSchema>;
