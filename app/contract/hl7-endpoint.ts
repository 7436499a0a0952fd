import { z } from 'zod';
import { exportFormats } from '../fhir/export/export-sink';

/**
 * The lab or EHR endpoint a visit's results go to as HL7 v2 over MLLP
 * (issue 14), as the screens and the main process speak of it: a host and
 * port on the clinic's network or the district's, and the receiving
 * application and facility its operator named (MSH-5, MSH-6). No secret:
 * MLLP has no sign-in, so the link itself is what the operator secures.
 */

/** A DNS name or an IPv4/IPv6 address: never a URL, a path or a space. */
const host = z.string().min(1).max(253).regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/);
/** HD namespace ids are short codes; the delimiters are escaped when written, but a code with none is what operators give. */
const code = z.string().min(1).max(60).regex(/^[^|^~\\&\r\n]+$/);

export const hl7EndpointInputSchema = z
  .object({
    host,
    port: z.number().int().min(1).max(65_535),
    receivingApplication: code,
    receivingFacility: code,
  })
  .strict();
export type Hl7EndpointInput = z.infer<typeof hl7EndpointInputSchema>;

export const hl7EndpointSummarySchema = z.discriminatedUnion('configured', [z.object({ configured: z.literal(false) }).strict(), hl7EndpointInputSchema.extend({ configured: z.literal(true) }).strict()]);
export type Hl7EndpointSummary = z.infer<typeof hl7EndpointSummarySchema>;

/** The most text one message carries to the main process (a visit with a meter's whole memory stays far below). */
export const maxHl7MessageChars = 1_000_000;

/** MSA-1: AA/CA accepted; AE/CE an error in the message; AR/CR refused (the receiver could not take it now). */
export const hl7AckCodes = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'] as const;

export const hl7AckSchema = z
  .object({
    code: z.enum(hl7AckCodes),
    /** MSA-3 or ERR's words, when the receiver said why: shown to the admin as it said it. */
    text: z.string().max(2000).optional(),
  })
  .strict();
export type Hl7Ack = z.infer<typeof hl7AckSchema>;

/** What an export folder may hold: the FHIR formats, or HL7 v2 results (`results.hl7`). */
export const exportFolderFormats = [...exportFormats, 'hl7v2'] as const;
export type ExportFolderFormat = (typeof exportFolderFormats)[number];
