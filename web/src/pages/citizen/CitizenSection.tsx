import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Layout';
import { api, type PurchasesView } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { formatDate } from '../../lib/format';
import { Link, match } from '../../lib/router';
import { type CitizenSession, setSession, useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';
import { DevicePage } from './DevicePage';
import { LookupPage } from './LookupPage';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';
import { PurchasesPage } from './PurchasesPage';
import { RoundsPage } from './RoundsPage';
import { SignIn } from './SignIn';

function SubNav() {
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

function Dashboard() {
  const session = useSession('citizen');
  return session ? <SignedIn session={session} /> : <SignIn />;
}

/** The signed-in home: also checks the session is alive and shows the next date the person may buy. */
function SignedIn({ session }: { session: CitizenSession }) {
  const { t } = useTranslation();
  const purchases = useAsync(
    (signal) => api.get<PurchasesView>('/api/v1/me/purchases', { token: session.token, signal }),
    [session.token],
  );
  useEndSessionOn401('citizen', purchases.error);
  return (
    <section className="panel" data-testid="citizen-dashboard">
      <h2>{t('emask.welcome', { name: session.name || t('emask.citizen') })}</h2>
      <p>
        {session.nationalIdMasked ? `${t('emask.idMasked')}: ${session.nationalIdMasked} · ` : ''}
        {t(session.method === 'card' ? 'emask.viaCard' : 'emask.viaCertificate')}
      </p>
      {purchases.data ? (
        <p className="next-eligible">
          {purchases.data.nextEligibleOn
            ? t('purchases.nextEligible', { date: formatDate(purchases.data.nextEligibleOn) })
            : t('purchases.eligibleNow')}
        </p>
      ) : null}
      <ul className="action-list">
        <li>
          <Link to="/emask/rounds" className="button">
            {t('emask.actions.order')}
          </Link>
        </li>
        <li>
          <Link to="/emask/orders" className="button secondary">
            {t('emask.actions.orders')}
          </Link>
        </li>
        <li>
          <Link to="/emask/purchases" className="button secondary">
            {t('emask.actions.purchases')}
          </Link>
        </li>
        <li>
          <Link to="/emask/device" className="button secondary">
            {t('emask.actions.device')}
          </Link>
        </li>
      </ul>
    </section>
  );
}

/** Pages that need a signed-in citizen show the sign-in first. */
function Protected({ children }: { children: React.ReactNode }) {
  const session = useSession('citizen');
  return session ? children : <SignIn />;
}

export default function CitizenSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const orderParams = match('/emask/rounds/:id/order', path);
  let page: React.ReactNode;
  if (orderParams) {
    page = (
      <Protected>
        <OrderPage roundId={Number(orderParams.id)} />
      </Protected>
    );
  } else if (match('/emask/rounds', path)) {
    page = <RoundsPage />;
  } else if (match('/emask/orders', path)) {
    page = (
      <Protected>
        <OrdersPage />
      </Protected>
    );
  } else if (match('/emask/purchases', path)) {
    page = (
      <Protected>
        <PurchasesPage />
      </Protected>
    );
  } else if (match('/emask/device', path)) {
    page = (
      <Protected>
        <DevicePage />
      </Protected>
    );
  } else if (match('/emask/lookup', path)) {
    page = <LookupPage />;
  } else {
    page = <Dashboard />;
  }
  return (
    <div className="section citizen">
      <PageTitle title={t('emask.title')} intro={t('emask.intro')} />
      <SubNav />
      {page}
    </div>
  );
}
