import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/Layout';
import { Link } from '../lib/router';

const PORTALS = [
  { to: '/emask', key: 'emask', icon: '🖥️' },
  { to: '/app', key: 'app', icon: '📱' },
  { to: '/pharmacy', key: 'pharmacy', icon: '💊' },
  { to: '/store', key: 'store', icon: '🏪' },
  { to: '/admin', key: 'admin', icon: '🛠️' },
  { to: '/open-data', key: 'openData', icon: '🗺️' },
] as const;

export function Home() {
  const { t } = useTranslation();
  return (
    <section>
      <PageTitle title={t('home.title')} intro={t('home.intro')} />
      <ul className="portal-grid">
        {PORTALS.map((p) => (
          <li key={p.to}>
            <Link to={p.to} className="portal">
              <span className="portal-icon" aria-hidden="true">
                {p.icon}
              </span>
              <span className="portal-name">{t(`home.portals.${p.key}.name`)}</span>
              <span className="portal-text">{t(`home.portals.${p.key}.text`)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <aside className="panel">
        <h2>{t('home.rulesTitle')}</h2>
        <ul>
          <li>{t('home.rules.interval')}</li>
          <li>{t('home.rules.oddEven')}</li>
          <li>{t('home.rules.online')}</li>
          <li>{t('home.rules.fraud')}</li>
        </ul>
      </aside>
    </section>
  );
}
