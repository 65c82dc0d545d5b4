import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Layout';
import { match } from '../../lib/router';
import { useSession } from '../../lib/session';
import { CitizenHome } from './CitizenHome';
import { CitizenNav } from './CitizenNav';
import { DevicePage } from './DevicePage';
import { LookupPage } from './LookupPage';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';
import { PurchasesPage } from './PurchasesPage';
import { RoundsPage } from './RoundsPage';
import { SignIn } from './SignIn';

/** /emask: the signed-in home, or the sign-in. */
function Dashboard() {
  const session = useSession('citizen');
  return session ? <CitizenHome session={session} /> : <SignIn />;
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
      <CitizenNav />
      {page}
    </div>
  );
}
