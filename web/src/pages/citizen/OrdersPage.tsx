import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderCard } from '../../components/OrderCard';
import { AtmOnlyNotice, CardPaymentForm, SimulatedAtmTransfer } from '../../components/PaymentForms';
import { api, type Order, type Round } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

/** My pre-orders: status, payment account and deadline, pay by card, pickup serial. */
export function OrdersPage() {
  const { t } = useTranslation();
  const session = useSession('citizen');
  const token = session?.token ?? '';
  const data = useAsync(
    async (signal) => {
      const [orders, rounds] = await Promise.all([
        api.get<{ orders: Order[] }>('/api/v1/me/orders', { token, signal }),
        api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }),
      ]);
      return { orders: orders.orders, rounds: rounds.rounds };
    },
    [token],
  );
  useEndSessionOn401('citizen', data.error);
  const orders = [...(data.data?.orders ?? [])].sort((a, b) => b.roundId - a.roundId);
  return (
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">{t('orders.title')}</h2>
      <ErrorNotice error={data.error} />
      {data.loading && !data.data ? <p className="hint">{t('common.loading')}</p> : null}
      {data.data && orders.length === 0 ? (
        <p className="hint">
          {t('orders.none')} <Link to="/emask/rounds">{t('orders.goOrder')}</Link>
        </p>
      ) : null}
      {orders.map((order) => {
        const round = data.data?.rounds.find((r) => r.id === order.roundId);
        return (
          <OrderCard key={order.roundId} order={order} round={round}>
            {order.status === 'awaiting_payment' ? (
              <div className="pay-options">
                {order.payableBy && !order.payableBy.includes('card') ? (
                  <AtmOnlyNotice order={order} />
                ) : (
                  <>
                    <p>{t('orders.payOptions')}</p>
                    <CardPaymentForm order={order} token={token} onPaid={data.reload} />
                  </>
                )}
                <SimulatedAtmTransfer order={order} onDone={data.reload} />
              </div>
            ) : null}
            {order.status === 'registered' && round?.state === 'registration' ? (
              <Link to={`/emask/rounds/${order.roundId}/order`} className="button secondary">
                {t('orders.change')}
              </Link>
            ) : null}
          </OrderCard>
        );
      })}
    </section>
  );
}
