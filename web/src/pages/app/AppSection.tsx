import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { OrderCard } from '../../components/OrderCard';
import { OrderForm } from '../../components/OrderForm';
import { SimulatedAtmTransfer } from '../../components/PaymentForms';
import { PurchaseRecord } from '../../components/PurchaseRecord';
import { RoundTimeline } from '../../components/RoundTimeline';
import { api, newChallenge, type Order, type PurchasesView, type Round } from '../../lib/api';
import { generateDeviceKey, signNonce } from '../../lib/crypto';
import { useDemo } from '../../lib/demo';
import { forgetDevice, loadDevice, type StoredDevice, saveDevice } from '../../lib/device-store';
import { useEndSessionOn401 } from '../../lib/end-session';
import { Link, match } from '../../lib/router';
import { setSession, useSession } from '../../lib/session';
import { onTabListKeyDown } from '../../lib/tabs';
import { useAction, useAsync } from '../../lib/use-async';

/**
 * The app flow (健保快易通 / 健康存摺): phone-number authentication or a device code binds this
 * browser as a device; its Ed25519 key is generated here, non-extractable, kept in IndexedDB,
 * and signs a challenge at every later login.
 */
export default function AppSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('app');
  let page: React.ReactNode;
  if (!session) page = <AppSignIn />;
  else if (match('/app/preorder', path)) page = <PreOrder token={session.token} />;
  else if (match('/app/record', path)) page = <Record token={session.token} />;
  else page = <AppMenu />;
  return (
    <div className="section app-frame">
      <PageTitle title={t('app.title')} intro={t('app.intro')} />
      {page}
    </div>
  );
}

async function bindWith(
  request: (publicKeyPem: string) => Promise<{ deviceId: string | number; token: string }>,
): Promise<void> {
  const { keyPair, publicKeyPem } = await generateDeviceKey();
  const answer = await request(publicKeyPem);
  await saveDevice({ deviceId: answer.deviceId, keyPair, boundAt: new Date().toISOString() });
  setSession('app', { token: answer.token, deviceId: answer.deviceId });
}

function AppSignIn() {
  const { t } = useTranslation();
  const [device, setDevice] = useState<StoredDevice | null | undefined>(undefined);
  const [method, setMethod] = useState<'phone' | 'code'>('phone');

  useEffect(() => {
    loadDevice().then(setDevice, () => setDevice(null));
  }, []);

  const deviceLogin = useAction(async () => {
    if (!device) return;
    const challenge = await newChallenge();
    const answer = await api.post<{ token: string }>('/api/v1/auth/device/login', {
      deviceId: device.deviceId,
      challengeId: challenge.challengeId,
      signature: await signNonce(device.keyPair.privateKey, challenge.nonce),
    });
    setSession('app', { token: answer.token, deviceId: device.deviceId });
  });

  const unbind = async () => {
    await forgetDevice();
    setDevice(null);
  };

  if (device === undefined) return <p className="hint">{t('common.loading')}</p>;
  if (device) {
    return (
      <section className="panel" aria-labelledby="app-device-title">
        <h2 id="app-device-title">{t('app.boundTitle')}</h2>
        <p>{t('app.boundText', { id: String(device.deviceId) })}</p>
        <ErrorNotice error={deviceLogin.error} />
        <button
          type="button"
          className="block"
          onClick={() => void deviceLogin.run()}
          disabled={deviceLogin.busy}
          data-testid="device-login"
        >
          {t('app.deviceLogin')}
        </button>
        <button type="button" className="link-button" onClick={() => void unbind()}>
          {t('app.unbind')}
        </button>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="app-signin-title">
      <h2 id="app-signin-title">{t('app.signInTitle')}</h2>
      <div className="tabs" role="tablist" onKeyDown={onTabListKeyDown} aria-label={t('app.methods')}>
        <button
          type="button"
          role="tab"
          id="app-tab-phone"
          aria-selected={method === 'phone'}
          tabIndex={method === 'phone' ? 0 : -1}
          aria-controls="app-panel-phone"
          onClick={() => setMethod('phone')}
        >
          {t('app.byPhone')}
        </button>
        <button
          type="button"
          role="tab"
          id="app-tab-code"
          aria-selected={method === 'code'}
          tabIndex={method === 'code' ? 0 : -1}
          aria-controls="app-panel-code"
          onClick={() => setMethod('code')}
          data-testid="app-tab-code"
        >
          {t('app.byCode')}
        </button>
      </div>
      {method === 'phone' ? (
        <div role="tabpanel" id="app-panel-phone" aria-labelledby="app-tab-phone">
          <PhoneAuth />
        </div>
      ) : (
        <div role="tabpanel" id="app-panel-code" aria-labelledby="app-tab-code">
          <CodeBind />
        </div>
      )}
    </section>
  );
}

function PhoneAuth() {
  const { t } = useTranslation();
  const uid = useId();
  const demo = useDemo();
  const [phone, setPhone] = useState('');
  const [nationalId, setNationalId] = useState('');
  const [cardLast4, setCardLast4] = useState('');
  const [password, setPassword] = useState('');
  const people = demo.status === 'on' ? demo.data.cards.filter((c) => c.phone && c.nationalId) : [];
  const auth = useAction(() =>
    bindWith((devicePublicKeyPem) =>
      api.post<{ deviceId: string | number; token: string }>('/api/v1/auth/phone', {
        phone: phone.trim(),
        nationalId: nationalId.trim().toUpperCase(),
        cardLast4: cardLast4.trim(),
        password,
        devicePublicKeyPem,
      }),
    ),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void auth.run();
  };
  const fillDemo = (cardNo: string) => {
    const person = people.find((p) => p.cardNo === cardNo);
    if (!person) return;
    setPhone(person.phone ?? '');
    setNationalId(person.nationalId ?? '');
    setCardLast4(person.cardNo.slice(-4));
  };
  return (
    <form onSubmit={onSubmit} data-testid="phone-auth">
      <p className="hint">{t('app.phoneIntro')}</p>
      {people.length > 0 ? (
        <div className="field sim-box">
          <label htmlFor={`${uid}-demo`}>{t('app.demoPerson')}</label>
          <select
            id={`${uid}-demo`}
            defaultValue=""
            onChange={(e) => fillDemo(e.target.value)}
            data-testid="app-demo-person"
          >
            <option value="">{t('reader.choosePlaceholder')}</option>
            {people.map((p) => (
              <option key={p.cardNo} value={p.cardNo}>
                {p.name} · {p.phone}
                {p.note ? ` · ${p.note}` : ''}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${uid}-phone`}>{t('app.phone')}</label>
        <input
          id={`${uid}-phone`}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          required
          pattern="09[0-9]{8}"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          data-testid="app-phone"
        />
      </div>
      <div className="field">
        <label htmlFor={`${uid}-id`}>{t('app.nationalId')}</label>
        <input
          id={`${uid}-id`}
          autoComplete="off"
          required
          maxLength={10}
          value={nationalId}
          onChange={(e) => setNationalId(e.target.value)}
          data-testid="app-national-id"
        />
      </div>
      <div className="field">
        <label htmlFor={`${uid}-last4`}>{t('app.cardLast4')}</label>
        <input
          id={`${uid}-last4`}
          inputMode="numeric"
          autoComplete="off"
          required
          pattern="[0-9]{4}"
          maxLength={4}
          value={cardLast4}
          onChange={(e) => setCardLast4(e.target.value)}
          data-testid="app-card-last4"
        />
      </div>
      <div className="field">
        <label htmlFor={`${uid}-password`}>{t('app.password')}</label>
        <input
          id={`${uid}-password`}
          type="password"
          autoComplete="new-password"
          required
          minLength={6}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={`${uid}-password-hint`}
          data-testid="app-password"
        />
        <small id={`${uid}-password-hint`}>{t('app.passwordHint')}</small>
      </div>
      <ErrorNotice error={auth.error} />
      <button type="submit" className="block" disabled={auth.busy} data-testid="app-phone-submit">
        {t('app.phoneSubmit')}
      </button>
    </form>
  );
}

function CodeBind() {
  const { t } = useTranslation();
  const uid = useId();
  const [code, setCode] = useState('');
  const bind = useAction(() =>
    bindWith((devicePublicKeyPem) =>
      api.post<{ deviceId: string | number; token: string }>('/api/v1/devices/bind', {
        code: code.replace(/\s+/g, ''),
        devicePublicKeyPem,
      }),
    ),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void bind.run();
  };
  return (
    <form onSubmit={onSubmit} data-testid="code-bind">
      <p className="hint">{t('app.codeIntro')}</p>
      <div className="field">
        <label htmlFor={`${uid}-code`}>{t('app.code')}</label>
        <input
          id={`${uid}-code`}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          className="big-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="app-code"
        />
      </div>
      <ErrorNotice error={bind.error} />
      <button type="submit" className="block" disabled={bind.busy} data-testid="app-code-submit">
        {t('app.bind')}
      </button>
      <p className="hint">
        {t('app.codeWhere')} <Link to="/emask/device">{t('app.codeWhereLink')}</Link>
      </p>
    </form>
  );
}

function AppMenu() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="app-menu-title">
      <h2 id="app-menu-title" className="visually-hidden">
        {t('app.menu')}
      </h2>
      <ul className="app-tiles">
        <li>
          <Link to="/app/preorder" className="app-tile" data-testid="app-tile-preorder">
            <span aria-hidden="true">😷</span>
            {t('app.preorder')}
          </Link>
        </li>
        <li>
          <Link to="/app/record" className="app-tile" data-testid="app-tile-record">
            <span aria-hidden="true">📋</span>
            {t('app.record')}
          </Link>
        </li>
      </ul>
      <button
        type="button"
        className="link-button"
        onClick={() => setSession('app', null)}
        data-testid="app-signout"
      >
        {t('common.signOut')}
      </button>
    </section>
  );
}

function BackToMenu() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to="/app">← {t('app.back')}</Link>
    </p>
  );
}

function PreOrder({ token }: { token: string }) {
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

function Record({ token }: { token: string }) {
  const { t } = useTranslation();
  const view = useAsync(
    (signal) => api.get<PurchasesView>('/api/v1/me/purchases', { token, signal }),
    [token],
  );
  useEndSessionOn401('app', view.error);
  return (
    <section aria-labelledby="app-record-title">
      <BackToMenu />
      <h2 id="app-record-title">{t('app.record')}</h2>
      <ErrorNotice error={view.error} />
      {view.data ? <PurchaseRecord view={view.data} /> : null}
    </section>
  );
}
