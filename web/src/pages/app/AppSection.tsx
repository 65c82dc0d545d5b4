import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Layout';
import { match } from '../../lib/router';
import { useSession } from '../../lib/session';
import { AppMenu } from './AppMenu';
import { AppSignIn } from './AppSignIn';
import { PreOrderPage } from './PreOrderPage';
import { RecordPage } from './RecordPage';
import { SignedInAs } from './SignedInAs';

/**
 * The app flow (健保快易通 / 健康存摺): phone-number authentication or a device code binds this
 * browser as a device; its Ed25519 key is generated here, non-extractable, kept in IndexedDB,
 * and signs a challenge at every later login.
 */
export default function AppSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('app');
  let page: React.ReactNode;
  if (!session) page = <AppSignIn />;
  else if (match('/app/preorder', path)) page = <PreOrderPage token={session.token} />;
  else if (match('/app/record', path)) page = <RecordPage token={session.token} />;
  else page = <AppMenu />;
  return (
    <div className="section app-frame">
      <PageTitle title={t('app.title')} intro={t('app.intro')} />
      {session ? <SignedInAs token={session.token} /> : null}
      {page}
    </div>
  );
}
