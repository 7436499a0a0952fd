// Allowed: main/ may use @medplum/core at runtime (HL7 v2 parsing).
import { Hl7Message } from '@medplum/core';

export const parse = (text: string): Hl7Message => Hl7Message.parse(text);
