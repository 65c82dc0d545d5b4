import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/Layout';
import { usePath } from './lib/router';
import { Home } from './pages/Home';
import { NotFound } from './pages/NotFound';

const Citizen = lazy(() => import('./pages/citizen/CitizenSection'));
const AppFlow = lazy(() => import('./pages/app/AppSection'));
const Pharmacy = lazy(() => import('./pages/pharmacy/PharmacySection'));
const StoreSection = lazy(() => import('./pages/store/StoreSection'));
const Admin = lazy(() => import('./pages/admin/AdminSection'));
const OpenData = lazy(() => import('./pages/opendata/OpenDataPage'));
const Verify = lazy(() => import('./pages/VerifyPage'));

function Section({ path }: { path: string }) {
  if (path === '/' || path === '') return <Home />;
  if (path.startsWith('/emask')) return <Citizen path={path} />;
  if (path.startsWith('/app')) return <AppFlow path={path} />;
  if (path.startsWith('/pharmacy')) return <Pharmacy />;
  if (path.startsWith('/store')) return <StoreSection path={path} />;
  if (path.startsWith('/admin')) return <Admin path={path} />;
  if (path.startsWith('/open-data')) return <OpenData />;
  if (path === '/verify' || path === '/verify/') return <Verify />;
  return <NotFound />;
}

export function App() {
  const path = usePath();
  const { t } = useTranslation();
  // Move focus to the new page's content so keyboard and screen-reader users land there.
  useEffect(() => {
    const main = document.getElementById('main');
    if (main && document.activeElement !== document.body && path) main.focus({ preventScroll: true });
  }, [path]);
  return (
    <Layout>
      <Suspense fallback={<p className="hint">{t('common.loading')}</p>}>
        <Section path={path} />
      </Suspense>
    </Layout>
  );
}
