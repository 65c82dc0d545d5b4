import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardReader, type InsertedCard } from '../../components/CardReader';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { PartnerSignIn } from '../../components/PartnerSignIn';
import { api, newChallenge, newIdempotencyKey, type PharmacyStock } from '../../lib/api';
import { useDemo } from '../../lib/demo';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { type PharmacySession, setSession, useSession } from '../../lib/session';
import { useAction, useAsync } from '../../lib/use-async';

interface Sale {
  saleId: number;
  amount: number;
  nextEligibleOn: string;
  item?: 'adult' | 'child';
  masks?: number;
}

/**
 * The pharmacy point of sale (SPEC §4): the pharmacist reads the buyer's NHI card (the card
 * signs a fresh challenge), sells one adult or child pack, and sees at once either the sale or
 * the reason it is refused with the date or weekdays the person needs; stock is shown and set.
 */
export default function PharmacyPos() {
  const { t } = useTranslation();
  const session = useSession('pharmacy');
  const demo = useDemo();
  const choices =
    demo.status === 'on'
      ? demo.data.pharmacies.map((p) => ({ id: p.code, label: `${p.name} (${p.code})`, apiKey: p.apiKey }))
      : [];
  return (
    <div className="section pos">
      <PageTitle title={t('pos.title')} intro={t('pos.intro')} />
      {session ? (
        <Pos session={session} />
      ) : (
        <PartnerSignIn
          title={t('pos.signIn')}
          idLabel={t('pos.code')}
          idPattern="[0-9A-Za-z]{10}"
          demoChoices={choices}
          testId="pharmacy-signin"
          onSubmit={(code, apiKey, name) =>
            setSession('pharmacy', { code, apiKey, ...(name ? { name } : {}) })
          }
        />
      )}
    </div>
  );
}

function Pos({ session }: { session: PharmacySession }) {
  const { t } = useTranslation();
  const [card, setCard] = useState<InsertedCard | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  const [stockVersion, setStockVersion] = useState(0);

  const sell = useAction(async (item: 'adult' | 'child') => {
    if (!card) return;
    setSale(null);
    const challenge = await newChallenge();
    const answer = await api.post<Sale>(
      `/api/v1/pharmacies/${encodeURIComponent(session.code)}/sales`,
      {
        cardNo: card.cardNo,
        challengeId: challenge.challengeId,
        cardSignature: await card.sign(challenge.nonce),
        item,
      },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setSale({ ...answer, item });
    setStockVersion((v) => v + 1);
  });

  const changeCard = (next: InsertedCard | null) => {
    setCard(next);
    setSale(null);
    sell.setError(undefined);
  };

  return (
    <div className="pos-grid">
      <section className="panel" aria-labelledby="pos-sale-title">
        <div className="panel-head">
          <h2 id="pos-sale-title">{t('pos.saleTitle')}</h2>
          <span className="hint">
            {session.name ?? session.code}{' '}
            <button type="button" className="link-button" onClick={() => setSession('pharmacy', null)}>
              {t('common.signOut')}
            </button>
          </span>
        </div>
        <ol className="steps">
          <li>{t('pos.step1')}</li>
          <li>{t('pos.step2')}</li>
        </ol>
        <CardReader card={card} onChange={changeCard} idPrefix="pos" />
        <fieldset className="sell-buttons">
          <legend className="visually-hidden">{t('pos.sellGroup')}</legend>
          <button
            type="button"
            onClick={() => void sell.run('adult')}
            disabled={!card || sell.busy}
            data-testid="sell-adult"
          >
            {t('pos.sellAdult', { price: formatMoney(15) })}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void sell.run('child')}
            disabled={!card || sell.busy}
            data-testid="sell-child"
          >
            {t('pos.sellChild', { price: formatMoney(25) })}
          </button>
        </fieldset>
        <div aria-live="polite" data-testid="pos-result">
          {sale ? (
            <SuccessNotice>
              <p className="notice-title">
                {t('pos.sold', { item: t(`item.${sale.item ?? 'adult'}`), amount: formatMoney(sale.amount) })}
              </p>
              <p>{t('pos.nextEligible', { date: formatDate(sale.nextEligibleOn) })}</p>
            </SuccessNotice>
          ) : null}
          <ErrorNotice error={sell.error} />
        </div>
      </section>
      <StockPanel session={session} version={stockVersion} />
    </div>
  );
}

function StockPanel({ session, version }: { session: PharmacySession; version: number }) {
  const { t } = useTranslation();
  const uid = useId();
  const current = useAsync(
    async (signal) => {
      const data = await api.get<PharmacyStock>('/api/v1/open-data/pharmacy-stock.json', {
        signal,
        cache: 'no-cache',
      });
      return data.features.find((f) => f.properties.code === session.code)?.properties ?? null;
    },
    [session.code, version],
  );
  const [adult, setAdult] = useState('');
  const [child, setChild] = useState('');
  const [saved, setSaved] = useState<{
    adult: number;
    child: number;
    updatedAt: string;
    version: number;
  } | null>(null);
  const save = useAction(async () => {
    const answer = await api.put<{ adult: number; child: number; updatedAt: string }>(
      `/api/v1/pharmacies/${encodeURIComponent(session.code)}/stock`,
      { adult: Number(adult), child: Number(child) },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setSaved({ ...answer, version });
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    void save.run();
  };
  // Right after a save the answer of PUT is the stock; after a later sale the open data is.
  const stock = saved && saved.version === version ? saved : current.data;
  return (
    <section className="panel" aria-labelledby="pos-stock-title">
      <h2 id="pos-stock-title">{t('pos.stockTitle')}</h2>
      {stock ? (
        <dl className="stock-figures" data-testid="pos-stock">
          <div>
            <dt>{t('item.adult')}</dt>
            <dd data-testid="stock-adult">{stock.adult}</dd>
          </div>
          <div>
            <dt>{t('item.child')}</dt>
            <dd data-testid="stock-child">{stock.child}</dd>
          </div>
        </dl>
      ) : (
        <p className="hint">{current.loading ? t('common.loading') : t('pos.stockUnknown')}</p>
      )}
      {stock?.updatedAt ? (
        <p className="hint">{t('pos.stockAsOf', { at: formatDateTime(stock.updatedAt) })}</p>
      ) : null}
      <p className="hint">{t('pos.stockUnits')}</p>
      <form onSubmit={onSubmit} className="field-grid">
        <div className="field">
          <label htmlFor={`${uid}-adult`}>{t('pos.setAdult')}</label>
          <input
            id={`${uid}-adult`}
            type="number"
            min={0}
            step={1}
            required
            inputMode="numeric"
            value={adult}
            onChange={(e) => setAdult(e.target.value)}
            data-testid="set-adult"
          />
        </div>
        <div className="field">
          <label htmlFor={`${uid}-child`}>{t('pos.setChild')}</label>
          <input
            id={`${uid}-child`}
            type="number"
            min={0}
            step={1}
            required
            inputMode="numeric"
            value={child}
            onChange={(e) => setChild(e.target.value)}
            data-testid="set-child"
          />
        </div>
        <div className="field field-submit">
          <button type="submit" disabled={save.busy} data-testid="set-stock">
            {t('pos.saveStock')}
          </button>
        </div>
      </form>
      {saved ? (
        <SuccessNotice>{t('pos.stockSaved', { at: formatDateTime(saved.updatedAt) })}</SuccessNotice>
      ) : null}
      <ErrorNotice error={save.error} />
    </section>
  );
}
