import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { VaultState } from '../../app/contract/data-api';
import { pageAfterUnlock } from './page-access';

/**
 * While locked the address stays where the person was (the lock screen
 * replaces the page, the path is kept), so unlocking shows that page again.
 * If the one who unlocked may not use it (a nurse unlocking where an admin
 * was working), they are taken to Patients instead.
 */
export function useReturnAfterUnlock(state: VaultState): void {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const previous = useRef(state.status);
  useEffect(() => {
    const was = previous.current;
    previous.current = state.status;
    if (was === 'unlocked' || state.status !== 'unlocked') return;
    const target = pageAfterUnlock(state.session.role, pathname);
    if (target) void navigate(target, { replace: true });
  }, [state, pathname, navigate]);
}
