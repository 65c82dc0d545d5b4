import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PurchaseRecord } from '../../components/PurchaseRecord';
import { api, type PurchasesView } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { useAsync } from '../../lib/use-async';
import { BackToMenu } from './BackToMenu';

/** The purchase record in the app (健康存摺): what the person bought and when they may buy next. */
export function RecordPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const view = useAsync(
    (signal) => api.get<PurchasesView>('/api/v1/me/purchases', { token, signal }),
    [token],
  );
  useEndSessionOn401('app', view.error);
  return (
    <section aria-labelledby="app-record-title">
      <BackToMenu />
      <h2 id="app-record-title">{t('app.record')}</h2>
      <ErrorNotice error={view.error} />
      {view.data ? <PurchaseRecord view={view.data} /> : null}
    </section>
  );
}
