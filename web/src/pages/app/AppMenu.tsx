import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import { setSession } from '../../lib/session';

/** The signed-in app's home: tiles for pre-ordering and the purchase record. */
export function AppMenu() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="app-menu-title">
      <h2 id="app-menu-title" className="visually-hidden">
        {t('app.menu')}
      </h2>
      <ul className="app-tiles">
        <li>
          <Link to="/app/preorder" className="app-tile" data-testid="app-tile-preorder">
            <span aria-hidden="true">😷</span>
            {t('app.preorder')}
          </Link>
        </li>
        <li>
          <Link to="/app/record" className="app-tile" data-testid="app-tile-record">
            <span aria-hidden="true">📋</span>
            {t('app.record')}
          </Link>
        </li>
      </ul>
      <button
        type="button"
        className="link-button"
        onClick={() => setSession('app', null)}
        data-testid="app-signout"
      >
        {t('common.signOut')}
      </button>
    </section>
  );
}
