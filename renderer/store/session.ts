import type { Actor, Role } from '../../app/auth/roles';

/**
 * An unlocked session: who is working, and the clinic data key. It exists only
 * in memory; locking drops it, and with it every way to read a record.
 */
export interface Session extends Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly clinicId: string;
  readonly workstationId: string;
  readonly dataKey: CryptoKey;
}
