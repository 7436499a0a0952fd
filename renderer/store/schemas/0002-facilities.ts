import type { RxJsonSchema } from 'rxdb';
import type { DirectoryEntry } from '../../../app/facilities/directory-entry';

// Version 0 of the facility directory (issue 16): the hub operator's shared
// directory, pulled from the hub, never written here. Its full form is
// app/facilities/directory-entry.ts, which the sync client checks every
// pulled entry against; this declares what the store indexes.

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

export const facilitiesSchema: RxJsonSchema<DirectoryEntry> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: text(64),
    hlc: text(64),
    name: text(300),
    kind: text(32),
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    capabilities: { type: 'object' },
    beds: { type: 'integer' },
    phone: text(200),
    openingHours: text(500),
    operator: text(300),
    address: text(500),
    source: { type: 'object' },
    updatedAt: text(40),
    withdrawn: { type: 'boolean' },
  },
  required: ['id', 'hlc', 'kind', 'lat', 'lon', 'capabilities', 'source', 'updatedAt'],
  indexes: ['kind'],
};
