import type { Reference, Resource } from '@medplum/fhirtypes';

/** A literal reference (`Type/id`) to a resource of the export. */
export function referenceTo<T extends Resource>(resource: T): Reference<T> {
  return { reference: `${resource.resourceType}/${resource.id ?? ''}` };
}
