import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { PartnerSignIn } from '../../components/PartnerSignIn';
import { api, newIdempotencyKey } from '../../lib/api';
import { useDemo, useSimClock } from '../../lib/demo';
import { formatDateTime, formatMoney } from '../../lib/format';
import { storeLabel } from '../../lib/places';
import { Link, match } from '../../lib/router';
import { type StoreSession, setSession, useSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';

interface Slip {
  orderId: number;
  buyerNameMasked: string;
  packs: number;
  amount: number;
  [more: string]: unknown;
}

type DocumentType = 'id_card' | 'nhi_card' | 'driver_license';
const DOCUMENT_TYPES: DocumentType[] = ['id_card', 'nhi_card', 'driver_license'];

/** Convenience-store pickup (SPEC §5): the in-store kiosk prints the slip, the clerk hands over. */
export default function StoreSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('store');
  const demo = useDemo();
  const choices =
    demo.status === 'on'
      ? demo.data.stores.map((s) => ({
          id: String(s.id),
          label: `${storeLabel(s, t)} (#${s.id})`,
          apiKey: s.apiKey,
        }))
      : [];
  const kiosk = match('/store/kiosk', path) !== null;
  const clerk = match('/store/clerk', path) !== null;
  return (
    <div className={`section store${kiosk ? ' kiosk-mode' : ''}`}>
      <div className="no-print">
        <PageTitle
          title={t(kiosk ? 'store.kioskTitle' : clerk ? 'store.clerkTitle' : 'store.title')}
          intro={t('store.intro')}
        />
        <nav aria-label={t('store.navLabel')} className="subnav">
          <ul>
            <li>
              <Link to="/store/kiosk">{t('store.kiosk')}</Link>
            </li>
            <li>
              <Link to="/store/clerk">{t('store.clerk')}</Link>
            </li>
          </ul>
          {session ? (
            <span className="hint">
              {session.name ?? `#${session.storeId}`}{' '}
              <button type="button" className="link-button" onClick={() => setSession('store', null)}>
                {t('common.signOut')}
              </button>
            </span>
          ) : null}
        </nav>
      </div>
      {!session ? (
        <PartnerSignIn
          title={t('store.signIn')}
          idLabel={t('store.storeId')}
          idPattern="[0-9]+"
          demoChoices={choices}
          testId="store-signin"
          onSubmit={(id, apiKey, name) =>
            setSession('store', { storeId: Number(id), apiKey, ...(name ? { name } : {}) })
          }
        />
      ) : kiosk ? (
        <Kiosk session={session} />
      ) : clerk ? (
        <Clerk session={session} />
      ) : (
        <ul className="portal-grid">
          <li>
            <Link to="/store/kiosk" className="portal">
              <span className="portal-name">{t('store.kiosk')}</span>
              <span className="portal-text">{t('store.kioskText')}</span>
            </Link>
          </li>
          <li>
            <Link to="/store/clerk" className="portal">
              <span className="portal-name">{t('store.clerk')}</span>
              <span className="portal-text">{t('store.clerkText')}</span>
            </Link>
          </li>
        </ul>
      )}
    </div>
  );
}

function Kiosk({ session }: { session: StoreSession }) {
  const { t } = useTranslation();
  const uid = useId();
  const clock = useSimClock();
  const [serial, setSerial] = useState('');
  const [slip, setSlip] = useState<(Slip & { serial: string; printedAt: string }) | null>(null);
  const print = useAction(async () => {
    const value = serial.trim();
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
        <div className="field">
          <label htmlFor={`${uid}-serial`}>{t('store.serial')}</label>
          <input
            id={`${uid}-serial`}
            className="big-input"
            autoComplete="off"
            required
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
            data-testid="kiosk-serial"
          />
        </div>
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

/** A decorative bar pattern derived from the serial, as a printed slip carries; the digits are printed below it. */
function Barcode({ value }: { value: string }) {
  const bars: { x: number; w: number }[] = [];
  let x = 0;
  for (const char of `*${value}*`) {
    const code = char.charCodeAt(0);
    for (let bit = 0; bit < 6; bit++) {
      const w = (code >> bit) & 1 ? 3 : 1;
      if (bit % 2 === 0) bars.push({ x, w });
      x += w + 1;
    }
  }
  return (
    <svg
      className="barcode"
      viewBox={`0 0 ${x} 40`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {bars.map((b) => (
        <rect key={b.x} x={b.x} y={0} width={b.w} height={40} />
      ))}
    </svg>
  );
}

function DocumentFields({
  legend,
  type,
  number,
  onType,
  onNumber,
  testId,
}: {
  legend: string;
  type: DocumentType;
  number: string;
  onType: (t: DocumentType) => void;
  onNumber: (n: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const uid = useId();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={`${uid}-type`}>{t('store.docType')}</label>
          <select
            id={`${uid}-type`}
            value={type}
            onChange={(e) => onType(e.target.value as DocumentType)}
            data-testid={`${testId}-type`}
          >
            {DOCUMENT_TYPES.map((d) => (
              <option key={d} value={d}>
                {t(`document.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-number`}>{t('store.docNumber')}</label>
          <input
            id={`${uid}-number`}
            autoComplete="off"
            required
            value={number}
            onChange={(e) => onNumber(e.target.value)}
            data-testid={`${testId}-number`}
          />
        </div>
      </div>
    </fieldset>
  );
}

function Clerk({ session }: { session: StoreSession }) {
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
    const value = serial.trim();
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
    const value = exchangeSerial.trim();
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
        <div className="field">
          <label htmlFor={`${uid}-serial`}>{t('store.scanSerial')}</label>
          <input
            id={`${uid}-serial`}
            className="big-input"
            autoComplete="off"
            required
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
            data-testid="clerk-serial"
          />
        </div>
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
        <div className="field">
          <label htmlFor={`${uid}-exchange`}>{t('store.serial')}</label>
          <input
            id={`${uid}-exchange`}
            autoComplete="off"
            required
            value={exchangeSerial}
            onChange={(e) => setExchangeSerial(e.target.value)}
            data-testid="exchange-serial"
          />
        </div>
        <ErrorNotice error={exchange.error} />
        {exchanged ? <SuccessNotice>{t('store.exchanged', { serial: exchanged })}</SuccessNotice> : null}
        <button type="submit" className="secondary" disabled={exchange.busy} data-testid="exchange-submit">
          {t('store.exchange')}
        </button>
      </form>
    </div>
  );
}
