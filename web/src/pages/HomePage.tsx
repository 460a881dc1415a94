import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { canSee, hasPermission } from '../app/access';
import { useBranchName } from '../app/branches';
import { NAV } from '../app/nav';
import { useSignedIn } from '../auth/session';
import { Icon } from '../components/Icon';
import { AwayPanel } from '../features/staff/AwayPanel';
import { ServiceAlerts } from '../features/services/ServiceBits';

/** The start page: a welcome, the user's roles and shortcuts to what they may open. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const branchName = useBranchName();
  const shortcuts = NAV.filter((e) => e.to !== '/' && canSee(user.roles, e.permission));
  const today = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full' }).format(new Date());

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('home.welcome', { name: user.displayName })}</h1>
          <p className="page-sub">{today}</p>
        </div>
      </header>

      {/* The supervisor's day starts with what is late and what waits for their decision. */}
      {hasPermission(user.roles, 'service.decide') && <ServiceAlerts approvals />}

      <div className="grid-2">
        <section className="card" aria-labelledby="home-profile">
          <h2 id="home-profile">{t('home.profile')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('home.username')}</dt>
              <dd>{user.username}</dd>
            </div>
            <div>
              <dt>{t('home.branch')}</dt>
              <dd>{branchName(user.branchId)}</dd>
            </div>
          </dl>
          <h3>{t('home.yourRoles')}</h3>
          <ul className="role-list">
            {user.roles.map((r) => (
              <li key={r}>
                <strong>{t(`roles.${r}`)}</strong>
                <span>{t(`roleDescriptions.${r}`)}</span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="home-shortcuts">
          <h2 id="home-shortcuts">{t('home.shortcuts')}</h2>
          {shortcuts.length === 0 ? (
            <p className="muted">{t('home.noShortcuts')}</p>
          ) : (
            <ul className="shortcut-list">
              {shortcuts.map((e) => (
                <li key={e.to}>
                  <Link to={e.to} className="shortcut">
                    <Icon name={e.icon} />
                    <span>
                      <strong>{t(e.labelKey)}</strong>
                      <span className="muted">{t(e.descriptionKey)}</span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {/* Away dates matter to whoever takes call-backs for a case's customers. */}
      {canSee(user.roles, 'work.do') && <AwayPanel />}

      <section className="notice notice-info" aria-labelledby="home-confidential">
        <h2 id="home-confidential">{t('home.confidentialTitle')}</h2>
        <p>{t('home.confidentialBody')}</p>
      </section>
    </div>
  );
}
