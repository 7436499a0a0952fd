/** How many recently opened patients the Patients page offers. */
export const recentPatientsLimit = 10;

/**
 * The patients one person opened most recently, newest first, each once. It
 * holds only opaque patient ids; it lives in memory for one unlocked session
 * and is dropped with the rest of the decrypted data at lock.
 */
export class RecentPatients {
  private ids: string[] = [];
  private owner: string | undefined;

  constructor(private readonly limit = recentPatientsLimit) {}

  /** Notes that `userId` opened `patientId`; another person's list is dropped first. */
  opened(userId: string, patientId: string): void {
    if (this.owner !== userId) this.clear();
    this.owner = userId;
    this.ids = [patientId, ...this.ids.filter((id) => id !== patientId)].slice(0, this.limit);
  }

  /** Newest first; empty for anyone but the person who opened them. */
  list(userId: string): readonly string[] {
    return this.owner === userId ? this.ids : [];
  }

  clear(): void {
    this.ids = [];
    this.owner = undefined;
  }
}
