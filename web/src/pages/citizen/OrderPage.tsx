import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderForm } from '../../components/OrderForm';
import { RoundTimeline } from '../../components/RoundTimeline';
import { api, type Order, type Round } from '../../lib/api';
import { endSessionOn401 } from '../../lib/end-session';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

export function OrderPage({ roundId }: { roundId: number }) {
  const { t } = useTranslation();
  const session = useSession('citizen');
  const token = session?.token ?? '';
  const data = useAsync(
    async (signal) => {
      const [rounds, orders] = await Promise.all([
        api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }),
        api.get<{ orders: Order[] }>('/api/v1/me/orders', { token, signal }).catch((error: unknown) => {
          endSessionOn401('citizen', error);
          return { orders: [] as Order[] };
        }),
      ]);
      return { round: rounds.rounds.find((r) => r.id === roundId), orders: orders.orders };
    },
    [roundId, token],
  );
  if (data.loading) return <p className="hint">{t('common.loading')}</p>;
  if (data.error) return <ErrorNotice error={data.error} />;
  const round = data.data?.round;
  if (!round) return <p className="notice notice-error">{t('errors.UNKNOWN_ROUND')}</p>;
  const existing = data.data?.orders.find((o) => o.roundId === round.id);
  return (
    <section className="panel" aria-labelledby="order-title">
      <h2 id="order-title">{t('orderForm.title', { name: round.name })}</h2>
      <RoundTimeline round={round} />
      <OrderForm round={round} token={token} existing={existing} />
      <p>
        <Link to="/emask/orders">{t('orderForm.seeOrders')}</Link>
      </p>
    </section>
  );
}
