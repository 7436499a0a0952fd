/** Random opaque ids (122 bits) with a readable prefix saying what they name. */
export const newId = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`;
