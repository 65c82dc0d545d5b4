import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Layout';
import { Link, match } from '../../lib/router';
import { setSession, useSession } from '../../lib/session';
import { Clerk } from './Clerk';
import { Kiosk } from './Kiosk';
import { StoreHome } from './StoreHome';
import { StoreSignIn } from './StoreSignIn';

/** Convenience-store pickup (SPEC §5): the in-store kiosk prints the slip, the clerk hands over. */
export default function StoreSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('store');
  const kiosk = match('/store/kiosk', path) !== null;
  const clerk = match('/store/clerk', path) !== null;
  return (
    <div className={`section store${kiosk ? ' kiosk-mode' : ''}`}>
      <div className="no-print">
        <PageTitle
          title={t(kiosk ? 'store.kioskTitle' : clerk ? 'store.clerkTitle' : 'store.title')}
          intro={t('store.intro')}
        />
        <nav aria-label={t('store.navLabel')} className="subnav">
          <ul>
            <li>
              <Link to="/store/kiosk">{t('store.kiosk')}</Link>
            </li>
            <li>
              <Link to="/store/clerk">{t('store.clerk')}</Link>
            </li>
          </ul>
          {session ? (
            <span className="hint">
              {session.name ?? `#${session.storeId}`}{' '}
              <button type="button" className="link-button" onClick={() => setSession('store', null)}>
                {t('common.signOut')}
              </button>
            </span>
          ) : null}
        </nav>
      </div>
      {!session ? (
        <StoreSignIn />
      ) : kiosk ? (
        <Kiosk session={session} />
      ) : clerk ? (
        <Clerk session={session} />
      ) : (
        <StoreHome />
      )}
    </div>
  );
}
