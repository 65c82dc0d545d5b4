import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api, newIdempotencyKey } from '../../lib/api';
import { useSimClock } from '../../lib/demo';
import { formatDateTime, formatMoney } from '../../lib/format';
import type { StoreSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';
import { Barcode } from './Barcode';

/** `POST /api/v1/stores/{id}/pickup-slips`: the order the serial picks up. */
interface Slip {
  orderId: number;
  buyerNameMasked: string;
  packs: number;
  amount: number;
  [more: string]: unknown;
}

/** The in-store kiosk: the buyer types the pickup serial and the kiosk prints the slip. */
export function Kiosk({ session }: { session: StoreSession }) {
  const { t } = useTranslation();
  const uid = useId();
  const clock = useSimClock();
  const [serial, setSerial] = useState('');
  const [slip, setSlip] = useState<(Slip & { serial: string; printedAt: string }) | null>(null);
  const print = useAction(async () => {
    // Printed as the SMS sends it (capitals, no spaces or dashes), whatever was typed; the
    // barcode the clerk scans then reads the same.
    const value = serial.toUpperCase().replace(/[\s-]/g, '');
    const answer = await api.post<Slip>(
      `/api/v1/stores/${session.storeId}/pickup-slips`,
      { serial: value },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setSlip({ ...answer, serial: value, printedAt: clock.now ?? new Date().toISOString() });
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSlip(null);
    void print.run();
  };
  return (
    <div className="kiosk">
      <form className="panel kiosk-screen no-print" onSubmit={onSubmit} data-testid="kiosk-form">
        <h2>{t('store.kioskPrompt')}</h2>
        <TextField
          id={`${uid}-serial`}
          label={t('store.serial')}
          className="big-input"
          autoComplete="off"
          required
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          data-testid="kiosk-serial"
        />
        <ErrorNotice error={print.error} />
        <button type="submit" className="block" disabled={print.busy} data-testid="kiosk-submit">
          {t('store.printSlip')}
        </button>
      </form>
      {slip ? (
        <div className="slip-area">
          <article className="slip" data-testid="slip" aria-labelledby="slip-title">
            <h2 id="slip-title">{t('store.slipTitle')}</h2>
            <p className="slip-store">{session.name ?? `#${session.storeId}`}</p>
            <Barcode value={slip.serial} />
            <dl className="facts">
              <dt>{t('store.serial')}</dt>
              <dd>
                <code className="serial">{slip.serial}</code>
              </dd>
              <dt>{t('order.id')}</dt>
              <dd>{slip.orderId}</dd>
              <dt>{t('store.buyer')}</dt>
              <dd data-testid="slip-buyer">{slip.buyerNameMasked}</dd>
              <dt>{t('store.packs')}</dt>
              <dd>{t('store.packsValue', { packs: slip.packs, masks: slip.packs * 3 })}</dd>
              <dt>{t('order.amount')}</dt>
              <dd>{t('store.prepaid', { amount: formatMoney(slip.amount) })}</dd>
              <dt>{t('store.printedAt')}</dt>
              <dd>{formatDateTime(slip.printedAt)}</dd>
            </dl>
            <p className="slip-note">{t('store.slipNote')}</p>
          </article>
          <button type="button" className="no-print" onClick={() => window.print()} data-testid="slip-print">
            {t('store.print')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
