import { useCallback, useEffect } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { useSettings } from './api/use-settings';
import { Frame } from './frame/Frame';
import { applyLocale } from './i18n/i18n';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/admin/AuditPage';
import { ExportPage } from './pages/admin/ExportPage';
import { ImportPage } from './pages/admin/ImportPage';
import { OdhPage } from './pages/admin/OdhPage';
import { FacilitiesPage } from './pages/facilities/FacilitiesPage';
import { ReferralLetterPage } from './pages/referrals/ReferralLetterPage';
import { ReferralPage } from './pages/referrals/ReferralPage';
import { StaffPage } from './pages/admin/StaffPage';
import { CapturePage } from './pages/capture/CapturePage';
import { ConflictsPage } from './pages/conflicts/ConflictsPage';
import { LockScreen } from './pages/LockScreen';
import { NotFoundPage } from './pages/NotFoundPage';
import { PatientChartPage } from './pages/patients/PatientChartPage';
import { EditPatientPage, NewPatientPage } from './pages/patients/PatientEditorPages';
import { PatientsPage } from './pages/patients/PatientsPage';
import { SettingsPage } from './pages/SettingsPage';
import { RecoveryKeyPage } from './pages/RecoveryKeyPage';
import { SetupPage } from './pages/SetupPage';
import { useReturnAfterUnlock } from './routing/use-return-after-unlock';
import { useClinicSettings } from './vault/use-clinic-settings';
import { useIdleLock } from './vault/use-idle-lock';
import { useLockOnServiceRestart } from './vault/use-lock-on-service-restart';
import { useData, useVaultState } from './data-client/DataContext';

export function App() {
  const settings = useSettings().data;
  const data = useData();
  const state = useVaultState();
  const navigate = useNavigate();
  useEffect(() => {
    if (settings?.locale) applyLocale(settings.locale);
  }, [settings?.locale]);
  const lockIdle = useCallback(() => void data.lock('idle'), [data]);
  // The clinic's setting, the same on every workstation (the defaults until it is loaded).
  const { idleLockMinutes } = useClinicSettings();
  useIdleLock(idleLockMinutes, state.status === 'unlocked', lockIdle);
  useLockOnServiceRestart();
  useReturnAfterUnlock(state);

  const gate = () => {
    if (state.status === 'no-clinic') return <SetupPage />;
    if (state.status === 'locked') return <LockScreen clinicName={state.clinicName} reason={state.reason} />;
    if (state.recoveryKeyPending) return <RecoveryKeyPage recoveryKey={state.recoveryKeyPending} onDone={() => void navigate('/patients')} />;
    return undefined;
  };

  return (
    <Routes>
      <Route element={<Frame gate={gate()} />}>
        <Route index element={<Navigate to="/patients" replace />} />
        <Route path="patients" element={<PatientsPage />} />
        <Route path="patients/new" element={<NewPatientPage />} />
        <Route path="patients/:id" element={<PatientChartPage />} />
        <Route path="patients/:id/edit" element={<EditPatientPage />} />
        <Route path="patients/:id/capture" element={<CapturePage />} />
        <Route path="patients/:id/refer" element={<ReferralPage />} />
        <Route path="patients/:id/referrals/:referralId/letter" element={<ReferralLetterPage />} />
        <Route path="conflicts" element={<ConflictsPage />} />
        {/* Every page exists for every role; the frame's RoleGate says when a role may not use one. */}
        <Route path="staff" element={<StaffPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="export" element={<ExportPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="odh" element={<OdhPage />} />
        <Route path="facilities" element={<FacilitiesPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
