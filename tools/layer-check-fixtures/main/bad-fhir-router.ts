// fhir-validation-packages-not-in-product: @medplum/fhir-router (the loopback test server's router)
import { FhirRouter } from '@medplum/fhir-router';

export const router = FhirRouter;
