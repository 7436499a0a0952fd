import { z } from 'zod';

/**
 * De-identification rules in the configuration format of Microsoft's FHIR
 * anonymizer (its `configuration-sample.json`), so a configuration a district
 * already has works here: `fhirPathRules` applied in order, each a FHIRPath
 * `path` and a `method` with that method's settings, and `parameters` with
 * the keys and switches. Parsed strictly per method: a typo in a method's
 * setting is an error naming the rule, not a rule silently doing less.
 * Problems name the rule's place and field, never a key's value.
 */

const path = z.string().min(1).max(2000);

const rule = z.discriminatedUnion('method', [
  z.object({ path, method: z.literal('keep') }).strict(),
  z.object({ path, method: z.literal('redact') }).strict(),
  z.object({ path, method: z.literal('dateShift') }).strict(),
  z.object({ path, method: z.literal('cryptoHash') }).strict(),
  z.object({ path, method: z.literal('encrypt') }).strict(),
  z.object({ path, method: z.literal('substitute'), replaceWith: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]) }).strict(),
  z
    .object({
      path,
      method: z.literal('perturb'),
      /** Fixed: the value moves at most this far either way; proportional: at most this fraction of itself. */
      span: z.number().nonnegative(),
      rangeType: z.enum(['fixed', 'proportional']).default('fixed'),
      /** Decimal places kept after perturbing (0: whole numbers). */
      roundTo: z.number().int().min(0).max(28).default(2),
    })
    .strict(),
  z
    .object({
      path,
      method: z.literal('generalize'),
      /** FHIRPath condition → FHIRPath expression giving the value, tried in order. */
      cases: z.record(z.string().min(1), z.string()),
      otherValues: z.enum(['redact', 'keep']).default('redact'),
    })
    .strict(),
]);
export type AnonymizerRule = z.output<typeof rule>;
export type AnonymizerMethod = AnonymizerRule['method'];

const parameters = z
  .object({
    dateShiftKey: z.string().optional(),
    /** Microsoft's: one shift per resource, file or folder. Ours shifts per patient whatever this says (the report says so). */
    dateShiftScope: z.enum(['resource', 'file', 'folder']).optional(),
    cryptoHashKey: z.string().optional(),
    encryptKey: z.string().optional(),
    /** When true, redact keeps ages of 89 and under (Safe Harbor allows them). */
    enablePartialAgesForRedact: z.boolean().optional(),
    /** When true, redact keeps a date's year (unless it reveals an age over 89). */
    enablePartialDatesForRedact: z.boolean().optional(),
    /** When true, redact keeps a ZIP code's first three digits (unless the prefix is restricted). */
    enablePartialZipCodesForRedact: z.boolean().optional(),
    restrictedZipCodeTabulationAreas: z.array(z.string().regex(/^\d{3}$/)).optional(),
  })
  .strict();
export type AnonymizerParameters = z.output<typeof parameters>;

export const anonymizerConfigSchema = z
  .object({
    fhirVersion: z.string().optional(),
    /** What to do with a resource a rule cannot process: Microsoft's `raise` (stop), `keep` (unchanged: never here), `skip` (leave it out). */
    processingError: z.enum(['raise', 'keep', 'skip']).optional(),
    fhirPathRules: z.array(rule).max(10_000),
    parameters: parameters.default({}),
    /**
     * Our addition to Microsoft's format: quasi-identifiers beyond age band,
     * sex, district and ZIP3, each a name and a FHIRPath on Patient, for
     * k-anonymity (`--quasi`); generalised from the value to "not given".
     */
    quasiIdentifiers: z
      .array(z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), path }).strict())
      .max(20)
      .optional(),
  })
  .strict();
export type AnonymizerConfig = z.output<typeof anonymizerConfigSchema>;

/** A configuration that cannot be used: where, and what is wrong, never a value from it. */
export class AnonymizerConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The de-identification configuration cannot be used: ${problems.join('; ')}`);
    this.name = 'AnonymizerConfigError';
  }
}

function place(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}

/**
 * Reads a configuration (parsed JSON). `processingError: keep` is refused: a
 * resource the rules could not process must never leave as it came in.
 */
export function readAnonymizerConfig(json: unknown): AnonymizerConfig {
  const parsed = anonymizerConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new AnonymizerConfigError(
      parsed.error.issues.map((issue) => {
        const where = place(issue.path) || 'the configuration';
        // The kind of problem only: zod's messages may quote what was given (a key).
        const what = issue.code === 'invalid_union' || issue.code === 'invalid_value' ? 'is not one of the allowed values' : issue.code === 'unrecognized_keys' ? `has a setting this method does not take (${issue.keys.join(', ')})` : issue.code === 'invalid_type' ? 'is missing or of the wrong type' : 'is not valid';
        return `${where} ${what}`;
      }),
    );
  }
  if (parsed.data.processingError === 'keep') throw new AnonymizerConfigError(['processingError "keep" would let a resource the rules could not process leave unchanged: use "raise" or "skip"']);
  return { ...parsed.data, fhirPathRules: parsed.data.fhirPathRules.map((rule) => ({ ...rule, path: withoutNodesByType(rule.path) })) };
}

/**
 * Microsoft's anonymizer adds `nodesByType('T')` to FHIRPath: every element
 * of type T in the resource. fhirpath.js has no such function; the same
 * selection is `descendants().ofType(T)`, except for extensions, which
 * fhirpath.js does not type: they are reached by name, the resource's own
 * and everyone else's. A configuration written for Microsoft's tool so
 * selects here what it selects there.
 */
export function withoutNodesByType(path: string): string {
  return path.replace(/nodesByType\(\s*(['"])([A-Za-z]+)\1\s*\)/g, (_whole, _quote: string, type: string) =>
    type === 'Extension' ? '(Resource.extension | Resource.modifierExtension | descendants().extension | descendants().modifierExtension)' : `descendants().ofType(${type})`,
  );
}
