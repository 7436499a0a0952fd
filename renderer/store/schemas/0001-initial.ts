import type { RxJsonSchema } from 'rxdb';
import type { SealedRecord } from '../../../app/records/sealed-record';
import type { StaffAccount } from '../../../app/auth/staff-account';
import type { LocalEntry } from '../documents';

// Version 0 of each collection. A later change adds 0002-….ts with the next
// version and its migration strategy; these files are never edited once shipped.

const id = { type: 'string', maxLength: 64 } as const;
const time = { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 } as const;

/** Every clinical record, sealed. Replicated to the hub (issue 5). */
export const recordsSchema: RxJsonSchema<SealedRecord> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    type: { type: 'string', maxLength: 16 },
    clinicId: id,
    subject: { type: 'string', maxLength: 64 },
    updatedAt: time,
    hlc: { type: 'string', maxLength: 64 },
    deleted: { type: 'boolean' },
    sealed: { type: 'string' },
  },
  required: ['id', 'type', 'clinicId', 'subject', 'updatedAt', 'hlc', 'deleted', 'sealed'],
  indexes: ['type', ['type', 'subject'], ['type', 'updatedAt']],
};

/** Staff accounts: the data key wrapped under each passphrase, and sealed claims (role, disabled). */
export const staffSchema: RxJsonSchema<StaffAccount> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    clinicId: id,
    username: { type: 'string', maxLength: 64 },
    wrap: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kdf: { type: 'string' },
        iterations: { type: 'integer' },
        salt: { type: 'string' },
        iv: { type: 'string' },
        wrapped: { type: 'string' },
      },
      required: ['kdf', 'iterations', 'salt', 'iv', 'wrapped'],
    },
    updatedAt: time,
    hlc: { type: 'string', maxLength: 64 },
    claims: { type: 'string' },
  },
  required: ['id', 'clinicId', 'username', 'wrap', 'updatedAt', 'hlc', 'claims'],
  indexes: ['username'],
};

/** This workstation's own state (clinic identity, audit head, index snapshot). Never replicated. */
export const localSchema: RxJsonSchema<LocalEntry> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: { id, value: { type: 'string' } },
  required: ['id', 'value'],
};
