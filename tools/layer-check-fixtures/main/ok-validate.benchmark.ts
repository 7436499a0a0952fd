// Allowed: a benchmark may measure the FHIR validators.
import { Fhir } from 'fhir';

export const validator = (): Fhir => new Fhir();
