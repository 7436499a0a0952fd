// fhir-validation-packages-not-in-product: fhir (the second validator, a development dependency)
import { Fhir } from 'fhir';

export const validator = Fhir;
