import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';

/** The signed-in store's start: the kiosk or the clerk's counter. */
export function StoreHome() {
  const { t } = useTranslation();
  return (
    <ul className="portal-grid">
      <li>
        <Link to="/store/kiosk" className="portal">
          <span className="portal-name">{t('store.kiosk')}</span>
          <span className="portal-text">{t('store.kioskText')}</span>
        </Link>
      </li>
      <li>
        <Link to="/store/clerk" className="portal">
          <span className="portal-name">{t('store.clerk')}</span>
          <span className="portal-text">{t('store.clerkText')}</span>
        </Link>
      </li>
    </ul>
  );
}
