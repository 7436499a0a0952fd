import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useMatch } from 'react-router';
import { can } from '../../app/auth/roles';
import { useConflicts } from '../pages/conflicts/use-conflicts';
import { useKeptAside } from '../pages/conflicts/use-kept-aside';
import { RoleGate } from '../routing/RoleGate';
import { useInterruptedSession, useVaultState } from '../data-client/DataContext';
import { ConnectionStatus } from './ConnectionStatus';
import { LockStatus } from './LockStatus';
import { SyncStatus } from './SyncStatus';

/**
 * The app's frame: header with status areas, navigation, and the page. While
 * the store is locked the `gate` (the lock screen) replaces every page, the
 * address kept so unlocking returns to it; before a clinic is set up, the
 * setup screen replaces every page but Settings. An unlocked page the
 * person's role may not use says so (RoleGate).
 */
export function Frame({ gate }: { gate: ReactNode }) {
  const { t } = useTranslation();
  const state = useVaultState();
  const interrupted = useInterruptedSession() !== null;
  const unlocked = state.status === 'unlocked';
  const admin = unlocked && can(state.session.role, 'staff.manage');
  const readsPatients = unlocked && can(state.session.role, 'patient.read');
  const exports = unlocked && can(state.session.role, 'export.run');
  const imports = unlocked && can(state.session.role, 'import.run');
  const contributes = unlocked && can(state.session.role, 'odh.contribute');
  // Arrivals kept aside (for an administrator) are reviewed on the conflicts page too, so they count in its link.
  const reviewsArrivals = unlocked && can(state.session.role, 'sync.review');
  const conflictCount = (useConflicts(undefined, readsPatients).data?.length ?? 0) + (useKeptAside(reviewsArrivals).data?.length ?? 0);
  const onSettings = useMatch('/settings') !== null;
  const locked = state.status === 'locked';
  const gated = Boolean(gate) && (locked || !onSettings);
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="frame-header">
        <span className="frame-title">{state.status === 'no-clinic' ? t('app.name') : state.clinicName}</span>
        <div className="frame-status">
          <ConnectionStatus />
          <SyncStatus />
          <LockStatus />
        </div>
      </header>
      <nav className="frame-nav" aria-label={t('nav.label')}>
        {unlocked && <NavLink to="/patients">{t('nav.patients')}</NavLink>}
        {readsPatients && conflictCount > 0 && <NavLink to="/conflicts">{t('nav.conflicts', { count: conflictCount })}</NavLink>}
        {admin && <NavLink to="/staff">{t('nav.staff')}</NavLink>}
        {admin && <NavLink to="/audit">{t('nav.audit')}</NavLink>}
        {exports && <NavLink to="/export">{t('nav.export')}</NavLink>}
        {imports && <NavLink to="/import">{t('nav.import')}</NavLink>}
        {contributes && <NavLink to="/odh">{t('nav.odh')}</NavLink>}
        {unlocked && <NavLink to="/facilities">{t('nav.facilities')}</NavLink>}
        {unlocked && <NavLink to="/account">{t('nav.account')}</NavLink>}
        {!locked && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
      </nav>
      <main id="main" className="frame-main" tabIndex={-1}>
        {gated && gate}
        {/*
          The page. Behind the gate it is not rendered, except the page someone
          was working on when the data worker stopped: kept out of sight and
          reach, in the same place in the tree, so what they typed is still
          there when they unlock again.
        */}
        {(!gated || interrupted) && (
          <div hidden={gated} inert={gated} style={gated ? undefined : { display: 'contents' }}>
            <RoleGate>
              <Outlet />
            </RoleGate>
          </div>
        )}
      </main>
    </div>
  );
}
