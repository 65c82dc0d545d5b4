import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api, newIdempotencyKey } from '../../lib/api';
import type { StoreSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';
import { DocumentFields, type DocumentType } from './DocumentFields';

/** The clerk's counter: hand the masks over against the slip's serial and the buyer's document, or exchange a pack. */
export function Clerk({ session }: { session: StoreSession }) {
  const { t } = useTranslation();
  const uid = useId();
  const [serial, setSerial] = useState('');
  const [buyerType, setBuyerType] = useState<DocumentType>('id_card');
  const [buyerNumber, setBuyerNumber] = useState('');
  const [proxy, setProxy] = useState(false);
  const [proxyType, setProxyType] = useState<DocumentType>('id_card');
  const [proxyNumber, setProxyNumber] = useState('');
  const [handedOver, setHandedOver] = useState<string | null>(null);
  const [exchangeSerial, setExchangeSerial] = useState('');
  const [exchanged, setExchanged] = useState<string | null>(null);

  const handOver = useAction(async () => {
    const value = serial.toUpperCase().replace(/[\s-]/g, '');
    await api.post(
      `/api/v1/stores/${session.storeId}/pickups`,
      {
        serial: value,
        buyerDocument: { type: buyerType, number: buyerNumber.trim().toUpperCase() },
        ...(proxy ? { proxyDocument: { type: proxyType, number: proxyNumber.trim().toUpperCase() } } : {}),
      },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setHandedOver(value);
    setExchangeSerial(value);
  });
  const exchange = useAction(async () => {
    const value = exchangeSerial.toUpperCase().replace(/[\s-]/g, '');
    await api.post(
      `/api/v1/stores/${session.storeId}/exchanges`,
      { serial: value, packs: 1 },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setExchanged(value);
  });

  return (
    <div className="clerk-grid">
      <form
        className="panel"
        onSubmit={(event) => {
          event.preventDefault();
          setHandedOver(null);
          void handOver.run();
        }}
        data-testid="clerk-form"
        aria-labelledby="clerk-title"
      >
        <h2 id="clerk-title">{t('store.handOverTitle')}</h2>
        <ol className="steps">
          <li>{t('store.clerkStep1')}</li>
          <li>{t('store.clerkStep2')}</li>
          <li>{t('store.clerkStep3')}</li>
        </ol>
        <TextField
          id={`${uid}-serial`}
          label={t('store.scanSerial')}
          className="big-input"
          autoComplete="off"
          required
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          data-testid="clerk-serial"
        />
        <DocumentFields
          legend={t('store.buyerDocument')}
          type={buyerType}
          number={buyerNumber}
          onType={setBuyerType}
          onNumber={setBuyerNumber}
          testId="buyer-doc"
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={proxy}
            onChange={(e) => setProxy(e.target.checked)}
            data-testid="proxy-toggle"
          />
          {t('store.proxy')}
        </label>
        {proxy ? (
          <DocumentFields
            legend={t('store.proxyDocument')}
            type={proxyType}
            number={proxyNumber}
            onType={setProxyType}
            onNumber={setProxyNumber}
            testId="proxy-doc"
          />
        ) : null}
        <ErrorNotice error={handOver.error} />
        {handedOver ? (
          <SuccessNotice>
            <p data-testid="handed-over">{t('store.handedOver', { serial: handedOver })}</p>
          </SuccessNotice>
        ) : null}
        <button type="submit" disabled={handOver.busy} data-testid="clerk-submit">
          {t('store.handOver')}
        </button>
      </form>
      <form
        className="panel"
        onSubmit={(event) => {
          event.preventDefault();
          setExchanged(null);
          void exchange.run();
        }}
        aria-labelledby="exchange-title"
        data-testid="exchange-form"
      >
        <h2 id="exchange-title">{t('store.exchangeTitle')}</h2>
        <p className="hint">{t('store.exchangeRule')}</p>
        <TextField
          id={`${uid}-exchange`}
          label={t('store.serial')}
          autoComplete="off"
          required
          value={exchangeSerial}
          onChange={(e) => setExchangeSerial(e.target.value)}
          data-testid="exchange-serial"
        />
        <ErrorNotice error={exchange.error} />
        {exchanged ? <SuccessNotice>{t('store.exchanged', { serial: exchanged })}</SuccessNotice> : null}
        <button type="submit" className="secondary" disabled={exchange.busy} data-testid="exchange-submit">
          {t('store.exchange')}
        </button>
      </form>
    </div>
  );
}
