import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { ConnectionStatus } from './ConnectionStatus';
import { LockStatus } from './LockStatus';

/** The app's frame: header with status areas, navigation, and the page. */
export function Frame() {
  const { t } = useTranslation();
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="frame-header">
        <span className="frame-title">{t('app.name')}</span>
        <div className="frame-status">
          <ConnectionStatus />
          <LockStatus />
        </div>
      </header>
      <nav className="frame-nav" aria-label={t('nav.label')}>
        <NavLink to="/" end>
          {t('nav.home')}
        </NavLink>
        <NavLink to="/settings">{t('nav.settings')}</NavLink>
      </nav>
      <main id="main" className="frame-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
