import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderCard } from '../../components/OrderCard';
import { TextField } from '../../components/TextField';
import { api, type Order } from '../../lib/api';
import { useAction } from '../../lib/use-async';

/** SPEC §5 [ORD 14]: national ID + last 3 digits of the phone, without signing in. */
export function LookupPage() {
  const { t } = useTranslation();
  const uid = useId();
  const [nationalId, setNationalId] = useState('');
  const [phoneLast3, setPhoneLast3] = useState('');
  const [orders, setOrders] = useState<Order[] | null>(null);
  const lookup = useAction(async () => {
    const answer = await api.post<{ orders: Order[] }>('/api/v1/orders/lookup', {
      nationalId: nationalId.trim().toUpperCase(),
      phoneLast3: phoneLast3.trim(),
    });
    setOrders(answer.orders);
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setOrders(null);
    void lookup.run();
  };
  return (
    <section className="panel" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{t('lookup.title')}</h2>
      <p>{t('lookup.intro')}</p>
      <form onSubmit={onSubmit} className="field-grid" data-testid="lookup-form">
        <TextField
          id={`${uid}-id`}
          label={t('lookup.nationalId')}
          autoComplete="off"
          required
          maxLength={10}
          value={nationalId}
          onChange={(e) => setNationalId(e.target.value)}
          data-testid="lookup-id"
        />
        <TextField
          id={`${uid}-last3`}
          label={t('lookup.phoneLast3')}
          inputMode="numeric"
          autoComplete="off"
          required
          pattern="[0-9]{3}"
          maxLength={3}
          value={phoneLast3}
          onChange={(e) => setPhoneLast3(e.target.value)}
          data-testid="lookup-last3"
        />
        <div className="field field-submit">
          <button type="submit" disabled={lookup.busy} data-testid="lookup-submit">
            {t('lookup.submit')}
          </button>
        </div>
      </form>
      <ErrorNotice error={lookup.error} />
      {orders && orders.length === 0 ? (
        <p className="notice notice-info" role="status">
          {t('lookup.none')}
        </p>
      ) : null}
      {orders?.map((order) => (
        <OrderCard key={`${order.roundId}`} order={order} />
      ))}
    </section>
  );
}
