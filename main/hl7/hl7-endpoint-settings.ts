import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { hl7EndpointInputSchema, type Hl7EndpointInput, type Hl7EndpointSummary } from '../../app/contract/hl7-endpoint';
import { writeFileAtomic } from '../services/atomic-file';

/** The HL7 v2 endpoint an admin set, in the main process's own file (written atomically); a damaged file is as good as none. */
export interface Hl7EndpointSettings {
  get(): Promise<Hl7EndpointSummary>;
  set(input: Hl7EndpointInput): Promise<Hl7EndpointSummary>;
}

const storedSchema = z.object({ formatVersion: z.literal(1), endpoint: hl7EndpointInputSchema }).strict();

export function createHl7EndpointSettings(file: string): Hl7EndpointSettings {
  return {
    async get() {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) return { configured: false };
      try {
        return { configured: true, ...storedSchema.parse(JSON.parse(text)).endpoint };
      } catch {
        return { configured: false };
      }
    },
    async set(input) {
      await writeFileAtomic(file, JSON.stringify({ formatVersion: 1, endpoint: input }));
      return { configured: true, ...input };
    },
  };
}
