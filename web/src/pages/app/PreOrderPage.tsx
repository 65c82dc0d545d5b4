import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderCard } from '../../components/OrderCard';
import { OrderForm } from '../../components/OrderForm';
import { SimulatedAtmTransfer } from '../../components/PaymentForms';
import { RoundTimeline } from '../../components/RoundTimeline';
import { api, type Order, type Round } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { useAsync } from '../../lib/use-async';
import { BackToMenu } from './BackToMenu';

/** Pre-order in the app: the person's orders (paid by ATM transfer only) and the rounds open for registration. */
export function PreOrderPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const data = useAsync(
    async (signal) => {
      const [rounds, orders] = await Promise.all([
        api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }),
        api.get<{ orders: Order[] }>('/api/v1/me/orders', { token, signal }),
      ]);
      return { rounds: rounds.rounds, orders: orders.orders };
    },
    [token],
  );
  useEndSessionOn401('app', data.error);
  const open = (data.data?.rounds ?? []).filter((r) => r.state === 'registration');
  const orders = [...(data.data?.orders ?? [])].sort((a, b) => b.roundId - a.roundId);
  return (
    <section aria-labelledby="app-preorder-title">
      <BackToMenu />
      <h2 id="app-preorder-title">{t('app.preorder')}</h2>
      <p className="notice notice-info">{t('app.atmOnly')}</p>
      <ErrorNotice error={data.error} />
      {data.loading && !data.data ? <p className="hint">{t('common.loading')}</p> : null}
      {orders.map((order) => (
        <OrderCard
          key={order.roundId}
          order={order}
          round={data.data?.rounds.find((r) => r.id === order.roundId)}
        >
          {order.status === 'awaiting_payment' ? (
            <>
              <p>{t('app.payAtm')}</p>
              <SimulatedAtmTransfer order={order} onDone={data.reload} />
            </>
          ) : null}
        </OrderCard>
      ))}
      {data.data && open.length === 0 ? <p className="hint">{t('app.noOpenRound')}</p> : null}
      {open.map((round) => (
        <article key={round.id} className="panel">
          <h3>{round.name}</h3>
          <RoundTimeline round={round} />
          <OrderForm
            round={round}
            token={token}
            existing={orders.find((o) => o.roundId === round.id)}
            onPlaced={() => data.reload()}
          />
        </article>
      ))}
    </section>
  );
}
