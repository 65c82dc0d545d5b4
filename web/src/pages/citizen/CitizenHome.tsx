import { useTranslation } from 'react-i18next';
import { api, type PurchasesView } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { formatDate } from '../../lib/format';
import { Link } from '../../lib/router';
import type { CitizenSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

/** The signed-in home: also checks the session is alive and shows the next date the person may buy. */
export function CitizenHome({ session }: { session: CitizenSession }) {
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
