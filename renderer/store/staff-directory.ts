import { requirePermission } from '../../app/auth/roles';
import type { StaffSummary } from '../../app/contract/data-api';
import type { ClinicDatabase } from './database';
import type { Session } from './session';
import type { StaffAccounts } from './staff-accounts';

/** Who the clinic's staff are: in full for administrators, by name for anyone who reads charts. */
export interface StaffDirectory {
  listStaff(session: Session): Promise<StaffSummary[]>;
  staffNames(session: Session): Promise<Record<string, string>>;
}

export function createStaffDirectory(db: ClinicDatabase, accounts: StaffAccounts): StaffDirectory {
  return {
    async listStaff(session: Session): Promise<StaffSummary[]> {
      requirePermission(session, 'staff.manage');
      const docs = await db.staff.find().exec();
      const out: StaffSummary[] = [];
      for (const doc of docs) out.push({ id: doc.id, ...(await accounts.openClaims(session.dataKey, doc.toMutableJSON())) });
      return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
    },

    /** Display names by user id, for showing who recorded a reading; anyone who reads charts may see them. */
    async staffNames(session: Session): Promise<Record<string, string>> {
      requirePermission(session, 'patient.read');
      const names: Record<string, string> = {};
      for (const doc of await db.staff.find().exec()) {
        try {
          names[doc.id] = (await accounts.openClaims(session.dataKey, doc.toMutableJSON())).displayName;
        } catch {
          // An account whose claims do not open shows as unknown; the chart still loads.
        }
      }
      return names;
    },
  };
}
