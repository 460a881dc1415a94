import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { AgreementNotice } from '../features/teams/AgreementNotice';
import { useSession, useSignedIn } from '../auth/session';
import { Icon } from '../components/Icon';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { RoleChips } from '../components/RoleChips';
import { NotificationBell } from '../features/communication/NotificationBell';
import { canSee } from './access';
import { useBranchName } from './branches';
import { NAV } from './nav';

/** The frame of every signed-in page: side navigation by role and the top bar. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const { signOut } = useSession();
  const branchName = useBranchName();
  const { pathname } = useLocation();
  const entries = NAV.filter((e) => canSee(user.roles, e.permission));
  // A path owned by a more specific entry (/leads/new) does not also light up its parent (/leads).
  const ownedElsewhere = (to: string) => entries.some((o) => o.to !== to && o.to.startsWith(`${to}/`) && o.end && pathname === o.to);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sub">{t('app.subtitle')}</span>
          </span>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul className="nav-list">
            {entries.map((e) => (
              <li key={e.to}>
                <NavLink
                  to={e.to}
                  end={e.to === '/' || e.end === true}
                  className={({ isActive }) => (isActive && !ownedElsewhere(e.to) ? 'nav-link active' : 'nav-link')}
                  data-testid={`nav-${e.testId ?? e.icon}`}
                >
                  <Icon name={e.icon} />
                  <span>{t(e.labelKey)}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <p className="sidebar-foot">{t('app.confidential')}</p>
      </aside>
      <div className="main-column">
        <header className="topbar">
          <div className="topbar-user">
            <span className="user-name" data-testid="user-name">
              {user.displayName}
            </span>
            <span className="user-branch">{branchName(user.branchId)}</span>
            <RoleChips roles={user.roles} />
          </div>
          <div className="topbar-actions">
            {canSee(user.roles, 'communication.use') && <NotificationBell />}
            <LanguageSwitch />
            <button type="button" className="button button-ghost" onClick={() => void signOut()} data-testid="sign-out">
              {t('topbar.signOut')}
            </button>
          </div>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {/* P5.4.2: on every page, say why sensitive data is missing when no agreement is on file. */}
          <AgreementNotice />
          <Outlet />
        </main>
      </div>
    </div>
  );
}
