import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { mayOpen } from './page-access';
import { useVaultState } from '../data-client/DataContext';

/**
 * Renders the page when the session's role may use it; otherwise says so
 * plainly ("not available for your role"), rather than pretending the page
 * does not exist.
 */
export function RoleGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const state = useVaultState();
  const { pathname } = useLocation();
  // Locked or not set up: the frame shows its gate, and the pages guard themselves.
  if (state.status !== 'unlocked' || mayOpen(state.session.role, pathname)) return children;
  const { session } = state;
  return (
    <section aria-labelledby="not-available-title" data-testid="not-available">
      <h1 id="not-available-title">{t('notAvailable.title')}</h1>
      <p>{t('notAvailable.body', { role: t(`roles.${session.role}`) })}</p>
      <Link to="/patients">{t('notAvailable.back')}</Link>
    </section>
  );
}
