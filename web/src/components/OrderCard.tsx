import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, Round } from '../lib/api';
import { useBankText } from '../lib/bank-text';
import { formatDate, formatDateTime, formatMoney, storeLabel } from '../lib/format';

/** One pre-order as the person sees it: status, amount, where to pay and by when, where to collect. */
export function OrderCard({
  order,
  round,
  children,
}: {
  order: Order;
  round?: Round | undefined;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const bankText = useBankText();
  const paymentClosesAt = order.paymentClosesAt ?? round?.paymentClosesAt;
  const pickupStartsOn = order.pickupStartsOn ?? round?.pickupStartsOn;
  const pickupEndsOn = order.pickupEndsOn ?? round?.pickupEndsOn;
  const showPayment = order.status === 'awaiting_payment' || order.status === 'forfeited_unpaid';
  return (
    <article className="order-card" data-testid={`order-${order.roundId}`} data-status={order.status}>
      <header>
        <h3>{round?.name ?? order.roundName ?? t('order.round', { id: order.roundId })}</h3>
        <span className={`badge status-${order.status}`} data-testid="order-status">
          {t(`orderStatus.${order.status}`)}
        </span>
      </header>
      <p className="status-explain">{t(`orderStatusHelp.${order.status}`)}</p>
      <dl className="facts">
        {order.id !== undefined ? (
          <>
            <dt>{t('order.id')}</dt>
            <dd>{order.id}</dd>
          </>
        ) : null}
        <dt>{t('order.amount')}</dt>
        <dd>{formatMoney(order.amount)}</dd>
        <dt>{t('order.store')}</dt>
        <dd>{order.store ? `${storeLabel(order.store, t)}（${order.store.address}）` : '—'}</dd>
        {showPayment && order.virtualAccount && order.bank ? (
          <>
            <dt>{t('counter.bankLabel')}</dt>
            <dd data-testid="virtual-account-bank">{bankText(order.bank)}</dd>
          </>
        ) : null}
        {showPayment && order.virtualAccount ? (
          <>
            <dt>{t('order.virtualAccount')}</dt>
            <dd>
              <code className="account" data-testid="virtual-account">
                {order.virtualAccount}
              </code>
            </dd>
          </>
        ) : null}
        {showPayment && paymentClosesAt ? (
          <>
            <dt>{t('order.payBy')}</dt>
            <dd data-testid="pay-by">{formatDateTime(paymentClosesAt)}</dd>
          </>
        ) : null}
        {order.pickupSerial ? (
          <>
            <dt>{t('order.serial')}</dt>
            <dd>
              <code className="serial" data-testid="pickup-serial">
                {order.pickupSerial}
              </code>
            </dd>
          </>
        ) : null}
        {pickupStartsOn && pickupEndsOn ? (
          <>
            <dt>{t('order.pickupWindow')}</dt>
            <dd>
              {formatDate(pickupStartsOn)} – {formatDate(pickupEndsOn)}
            </dd>
          </>
        ) : null}
        {order.collectableFrom ? (
          <>
            <dt>{t('order.collectableFrom')}</dt>
            <dd data-testid="collectable-from">{formatDate(order.collectableFrom)}</dd>
          </>
        ) : null}
      </dl>
      {children}
    </article>
  );
}
