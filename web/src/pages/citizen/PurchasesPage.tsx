import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PurchaseRecord } from '../../components/PurchaseRecord';
import { api, type PurchasesView } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

export function PurchasesPage() {
  const { t } = useTranslation();
  const token = useSession('citizen')?.token ?? '';
  const view = useAsync(
    (signal) => api.get<PurchasesView>('/api/v1/me/purchases', { token, signal }),
    [token],
  );
  useEndSessionOn401('citizen', view.error);
  return (
    <section className="panel" aria-labelledby="purchases-title">
      <h2 id="purchases-title">{t('purchases.title')}</h2>
      <ErrorNotice error={view.error} />
      {view.data ? (
        <PurchaseRecord view={view.data} />
      ) : view.loading ? (
        <p className="hint">{t('common.loading')}</p>
      ) : null}
    </section>
  );
}
