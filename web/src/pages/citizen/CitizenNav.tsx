import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import { setSession, useSession } from '../../lib/session';

/** The eMask site's sub-navigation, with the sign-out when signed in. */
export function CitizenNav() {
  const { t } = useTranslation();
  const session = useSession('citizen');
  const links = [
    { to: '/emask', key: 'emask.nav.home' },
    { to: '/emask/rounds', key: 'emask.nav.rounds' },
    { to: '/emask/orders', key: 'emask.nav.orders' },
    { to: '/emask/purchases', key: 'emask.nav.purchases' },
    { to: '/emask/device', key: 'emask.nav.device' },
    { to: '/emask/lookup', key: 'emask.nav.lookup' },
  ] as const;
  return (
    <nav aria-label={t('emask.nav.label')} className="subnav">
      <ul>
        {links.map((l) => (
          <li key={l.to}>
            <Link to={l.to}>{t(l.key)}</Link>
          </li>
        ))}
      </ul>
      {session ? (
        <button
          type="button"
          className="link-button"
          onClick={() => setSession('citizen', null)}
          data-testid="signout"
        >
          {t('common.signOut')}
        </button>
      ) : null}
    </nav>
  );
}
