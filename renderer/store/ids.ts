/** Random opaque ids (122 bits) with a readable prefix saying what they name; valid FHIR ids (no underscore). */
export const newId = (prefix: string): string => `${prefix}-${crypto.randomUUID().replace(/-/g, '')}`;
