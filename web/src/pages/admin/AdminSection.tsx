import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SuccessNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { signOut } from '../../lib/end-session';
import { Link, match } from '../../lib/router';
import { useSession } from '../../lib/session';
import { AdminLogin } from './AdminLogin';
import { ClockPage } from './ClockPage';
import { PartnersPage } from './PartnersPage';
import { RoundsAdmin } from './RoundsAdmin';
import { StatsPage } from './StatsPage';
import { StoresAdmin } from './StoresAdmin';

const TABS = [
  { to: '/admin', key: 'admin.nav.stats' },
  { to: '/admin/rounds', key: 'admin.nav.rounds' },
  { to: '/admin/stores', key: 'admin.nav.stores' },
  { to: '/admin/partners', key: 'admin.nav.partners' },
  { to: '/admin/clock', key: 'admin.nav.clock' },
] as const;

export default function AdminSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('admin');
  // Signed in again after the session lapsed: say, on the screen it lapsed on, that its drafts are kept.
  const [resumedOn, setResumedOn] = useState<string | null>(null);
  let page: React.ReactNode;
  if (!session) page = <AdminLogin onSignedIn={(afterExpiry) => setResumedOn(afterExpiry ? path : null)} />;
  else if (match('/admin/rounds', path)) page = <RoundsAdmin token={session.token} />;
  else if (match('/admin/stores', path)) page = <StoresAdmin token={session.token} />;
  else if (match('/admin/partners', path)) page = <PartnersPage token={session.token} />;
  else if (match('/admin/clock', path)) page = <ClockPage />;
  else page = <StatsPage token={session.token} />;
  return (
    <div className="section admin">
      <PageTitle title={t('admin.title')} intro={t('admin.intro')} />
      {session ? (
        <nav aria-label={t('admin.nav.label')} className="subnav">
          <ul>
            {TABS.map((tab) => (
              <li key={tab.to}>
                <Link to={tab.to}>{t(tab.key)}</Link>
              </li>
            ))}
          </ul>
          <span className="hint">
            {session.username}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => signOut('admin')}
              data-testid="admin-signout"
            >
              {t('common.signOut')}
            </button>
          </span>
        </nav>
      ) : null}
      {session && resumedOn === path ? (
        <div data-testid="session-resumed">
          <SuccessNotice>{t('ops.session.resumed')}</SuccessNotice>
        </div>
      ) : null}
      {page}
    </div>
  );
}
