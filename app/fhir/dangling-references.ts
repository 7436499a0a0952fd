import type { Resource } from '@medplum/fhirtypes';

/**
 * The literal references (`Type/id`) in `resources` that name no resource among
 * them: an export's must all resolve, as servers that check references (HAPI
 * does) refuse the rest; an import checks a file's the same way.
 */
export function danglingReferences(resources: readonly Resource[]): string[] {
  const present = new Set(resources.map((resource) => `${resource.resourceType}/${resource.id ?? ''}`));
  const references: string[] = [];
  JSON.stringify(resources, (key, value: unknown) => {
    if (key === 'reference' && typeof value === 'string') references.push(value);
    return value;
  });
  return references.filter((reference) => !present.has(reference));
}
