import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Order, type Round, type Store } from '../lib/api';
import { formatDateTime, formatMoney, storeLabel } from '../lib/format';
import { useAction } from '../lib/use-async';
import { ErrorNotice, SuccessNotice } from './ErrorNotice';
import { StorePicker } from './StorePicker';
import { TextField } from './TextField';

interface PlacedOrder {
  order: { id: number; roundId: number; storeId: number; status: string; amount: number };
}

/**
 * Place or replace the order of a round (PUT /api/v1/rounds/{id}/order): one adult pack plus
 * the logistics fee; a later submission before the deadline replaces the earlier one (SPEC §5).
 */
export function OrderForm({
  round,
  token,
  existing,
  defaults,
  onPlaced,
}: {
  round: Round;
  token: string;
  existing?: Order | undefined;
  defaults?: { phone?: string | null | undefined; email?: string | null | undefined };
  onPlaced?: (placed: PlacedOrder['order']) => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [store, setStore] = useState<Store | null>(null);
  const [phone, setPhone] = useState(existing?.phone ?? defaults?.phone ?? '');
  const [email, setEmail] = useState(existing?.email ?? defaults?.email ?? '');
  const [placed, setPlaced] = useState<PlacedOrder['order'] | null>(null);
  const submit = useAction(async () => {
    if (!store) return;
    const answer = await api.put<PlacedOrder>(
      `/api/v1/rounds/${round.id}/order`,
      { storeId: store.id, phone: phone.trim(), email: email.trim() },
      { token },
    );
    setPlaced(answer.order);
    onPlaced?.(answer.order);
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit.run();
  };

  return (
    <form onSubmit={onSubmit} className="order-form" aria-describedby={`${uid}-rules`}>
      <p id={`${uid}-rules`} className="hint">
        {t('orderForm.rules', {
          amount: formatMoney(22),
          closes: formatDateTime(round.registrationClosesAt),
        })}
      </p>
      {existing ? (
        <p className="notice notice-info" data-testid="replace-warning">
          {t('orderForm.replaces', {
            store: existing.store ? storeLabel(existing.store, t) : '—',
          })}
        </p>
      ) : null}
      <StorePicker value={store} onChange={setStore} />
      <div className="field-grid">
        <TextField
          id={`${uid}-phone`}
          label={t('orderForm.phone')}
          hint={t('orderForm.phoneHint')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          required
          pattern="09[0-9]{8}"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          data-testid="order-phone"
        />
        <TextField
          id={`${uid}-email`}
          label={t('orderForm.email')}
          hint={t('orderForm.emailHint')}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="order-email"
        />
      </div>
      <ErrorNotice error={submit.error} />
      {placed ? (
        <SuccessNotice>
          <p data-testid="order-placed">
            {t('orderForm.placed', { id: placed.id, amount: formatMoney(placed.amount) })}
          </p>
        </SuccessNotice>
      ) : null}
      <button type="submit" disabled={!store || submit.busy} data-testid="order-submit">
        {existing || placed ? t('orderForm.replace') : t('orderForm.submit')}
      </button>
      {!store ? <p className="hint">{t('orderForm.chooseStoreFirst')}</p> : null}
    </form>
  );
}
