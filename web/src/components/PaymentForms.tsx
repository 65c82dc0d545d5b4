import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey, type Order } from '../lib/api';
import { useBankText } from '../lib/bank-text';
import { useDemo } from '../lib/demo';
import { formatMoney } from '../lib/format';
import { useAction } from '../lib/use-async';
import { ErrorNotice, SuccessNotice } from './ErrorNotice';
import { TextField } from './TextField';

/**
 * Credit card payment (web sign-in only, SPEC §5 [ORD 24.7]); someone else's card may pay
 * [ORD 24.8], so the holder is free text.
 */
export function CardPaymentForm({
  order,
  token,
  onPaid,
}: {
  order: Order;
  token: string;
  onPaid: () => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [cardNumber, setCardNumber] = useState('');
  const [expiry, setExpiry] = useState('');
  const [cvc, setCvc] = useState('');
  const [holder, setHolder] = useState('');
  const demo = useDemo();
  const pay = useAction(async () => {
    await api.post(
      `/api/v1/orders/${order.id}/payments/card`,
      {
        cardNumber: cardNumber.replace(/\s+/g, ''),
        expiry: expiry.trim(),
        cvc: cvc.trim(),
        holder: holder.trim(),
      },
      { token, idempotencyKey: newIdempotencyKey() },
    );
    onPaid();
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void pay.run();
  };
  return (
    <form className="payment-form" onSubmit={onSubmit} data-testid="card-payment">
      <h4>{t('payment.cardTitle', { amount: formatMoney(order.amount) })}</h4>
      <div className="field-grid">
        <TextField
          id={`${uid}-number`}
          label={t('payment.cardNumber')}
          inputMode="numeric"
          autoComplete="cc-number"
          required
          value={cardNumber}
          onChange={(e) => setCardNumber(e.target.value)}
          data-testid="pay-card-number"
        />
        <TextField
          id={`${uid}-expiry`}
          label={t('payment.expiry')}
          autoComplete="cc-exp"
          placeholder="MM/YY"
          pattern="[0-9]{2}/[0-9]{2}"
          required
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          data-testid="pay-expiry"
        />
        <TextField
          id={`${uid}-cvc`}
          label={t('payment.cvc')}
          inputMode="numeric"
          autoComplete="cc-csc"
          pattern="[0-9]{3,4}"
          required
          value={cvc}
          onChange={(e) => setCvc(e.target.value)}
          data-testid="pay-cvc"
        />
        <TextField
          id={`${uid}-holder`}
          label={t('payment.holder')}
          autoComplete="cc-name"
          required
          value={holder}
          onChange={(e) => setHolder(e.target.value)}
          data-testid="pay-holder"
        />
      </div>
      <p className="hint">{t('payment.cardHint')}</p>
      {demo.status === 'on' ? (
        <p className="sim-box">
          {t('payment.demoCards')}{' '}
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              setCardNumber('4111 1111 1111 1111');
              setExpiry('12/25');
              setCvc('123');
              setHolder('DEMO');
            }}
            data-testid="pay-fill-demo"
          >
            {t('payment.fillDemo')}
          </button>
        </p>
      ) : null}
      <ErrorNotice error={pay.error} />
      <button type="submit" disabled={pay.busy} data-testid="pay-submit">
        {t('payment.pay', { amount: formatMoney(order.amount) })}
      </button>
    </form>
  );
}

/**
 * An order this session may pay by ATM transfer only (`payableBy` without `card`: an order placed
 * in the app): no card form to fill in and be refused, but where to transfer to.
 */
export function AtmOnlyNotice({ order }: { order: Order }) {
  const { t } = useTranslation();
  const bankText = useBankText();
  return (
    <div className="notice notice-info" data-testid="atm-only">
      <p className="notice-title">{t('counter.atmOnlyTitle')}</p>
      <p>
        {t('counter.atmOnlyText', {
          amount: formatMoney(order.amount),
          bank: order.bank ? bankText(order.bank) : t('counter.bankLabel'),
          account: order.virtualAccount ?? '—',
        })}
      </p>
    </div>
  );
}

/**
 * Demo only: send the ATM transfer to the personal virtual account through the simulated bank
 * (POST /api/v1/sim/bank/transfers); the bank's notice reaches the platform as in production.
 */
export function SimulatedAtmTransfer({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t } = useTranslation();
  const bankText = useBankText();
  const demo = useDemo();
  const [result, setResult] = useState<{ matched: boolean } | null>(null);
  const transfer = useAction(async () => {
    const answer = await api.post<{ transferId: string; matched: boolean }>('/api/v1/sim/bank/transfers', {
      toAccount: order.virtualAccount,
      amount: order.amount,
    });
    setResult(answer);
    onDone();
  });
  if (demo.status !== 'on' || !order.virtualAccount) return null;
  return (
    <div className="sim-box">
      <p className="hint">
        {t('payment.atmDemo')}
        {order.bank ? ` ${bankText(order.bank)} · ${order.virtualAccount}` : ''}
      </p>
      <button
        type="button"
        className="secondary"
        onClick={() => void transfer.run()}
        disabled={transfer.busy}
        data-testid="atm-transfer"
      >
        {t('payment.atmTransfer', { amount: formatMoney(order.amount) })}
      </button>
      {result ? (
        <SuccessNotice>{result.matched ? t('payment.atmMatched') : t('payment.atmUnmatched')}</SuccessNotice>
      ) : null}
      <ErrorNotice error={transfer.error} />
    </div>
  );
}
