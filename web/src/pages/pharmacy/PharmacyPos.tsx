import { type FormEvent, Fragment, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardReader, type InsertedCard } from '../../components/CardReader';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { PartnerSignIn } from '../../components/PartnerSignIn';
import { api, newChallenge, newIdempotencyKey, type PharmacyStock } from '../../lib/api';
import { useDemo } from '../../lib/demo';
import { formatDate, formatDateTime, formatMoney, formatWeekdays } from '../../lib/format';
import { runtimeKey } from '../../lib/message-key';
import { type PharmacySession, setSession, useSession } from '../../lib/session';
import { useAction, useAsync } from '../../lib/use-async';

interface Sale {
  saleId: number;
  amount: number;
  nextEligibleOn: string;
  item?: 'adult' | 'child';
  masks?: number;
}

type Item = 'adult' | 'child';
const ITEMS: readonly Item[] = ['adult', 'child'];

/** One refusal, exactly the error object a sale would answer: code, message, details. */
interface Reason {
  code: string;
  message: string;
  nextEligibleOn?: string;
  allowedWeekdays?: number[];
  item?: Item;
  remaining?: number;
  [detail: string]: unknown;
}

/** `POST /api/v1/pharmacies/{code}/eligibility` (docs/PHARMACY.md). */
interface Eligibility {
  mayBuy: boolean;
  items: Record<Item, { allowed: boolean; reason?: Reason }>;
  nextEligibleOn: string | null;
  allowedWeekdays: number[];
  todayWeekday: number;
  today: string;
  buyer: { nameMasked: string; age: number };
  reasons: Reason[];
}

/**
 * The pharmacy point of sale (SPEC §4, docs/PHARMACY.md): the pharmacist reads the buyer's NHI
 * card and sees at once, before selling, whether the person may buy today, which packs, and why
 * not with the date or weekdays they need (the eligibility check: the card signs a challenge);
 * then sells an allowed pack (the card signs a second challenge); stock is shown and set.
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
  const [verdict, setVerdict] = useState<Eligibility | null>(null);
  const [sale, setSale] = useState<Sale | null>(null);
  const [stockVersion, setStockVersion] = useState(0);
  // The card in the reader now: a check that answers after the card was ejected or swapped is dropped.
  const current = useRef<InsertedCard | null>(null);
  const base = `/api/v1/pharmacies/${encodeURIComponent(session.code)}`;

  // The card proves it is here for the check and again for the sale: each signs its own challenge.
  const presence = async (inserted: InsertedCard) => {
    const challenge = await newChallenge();
    return {
      cardNo: inserted.cardNo,
      challengeId: challenge.challengeId,
      cardSignature: await inserted.sign(challenge.nonce),
    };
  };

  const check = useAction(async (inserted: InsertedCard) => {
    setVerdict(null);
    try {
      const answer = await api.post<Eligibility>(`${base}/eligibility`, await presence(inserted), {
        token: session.apiKey,
      });
      if (current.current === inserted) setVerdict(answer);
    } catch (error) {
      if (current.current === inserted) throw error;
    }
  });

  const sell = useAction(async (item: Item) => {
    if (!card) return;
    setSale(null);
    const answer = await api.post<Sale>(
      `${base}/sales`,
      { ...(await presence(card)), item },
      { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
    );
    setSale({ ...answer, item });
    // One pack per person per period: after a sale the verdict no longer holds.
    setVerdict(null);
    setStockVersion((v) => v + 1);
  });

  const changeCard = (next: InsertedCard | null) => {
    current.current = next;
    setCard(next);
    setVerdict(null);
    setSale(null);
    sell.setError(undefined);
    check.setError(undefined);
    if (next) void check.run(next);
  };

  const allowed = (item: Item) => Boolean(card && verdict?.items[item].allowed && !sell.busy && !check.busy);

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
          <li>{t('pos.step3')}</li>
        </ol>
        <CardReader card={card} onChange={changeCard} idPrefix="pos" />
        <div aria-live="polite" data-testid="pos-check">
          {check.busy ? <p className="hint">{t('pos.checking')}</p> : null}
          {verdict ? <Verdict verdict={verdict} /> : null}
          <ErrorNotice error={check.error} />
          {card && !check.busy && (verdict || check.error || sale) ? (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                setSale(null);
                sell.setError(undefined);
                void check.run(card);
              }}
              data-testid="pos-recheck"
            >
              {t('pos.recheck')}
            </button>
          ) : null}
        </div>
        <fieldset className="sell-buttons">
          <legend className="visually-hidden">{t('pos.sellGroup')}</legend>
          <button
            type="button"
            onClick={() => void sell.run('adult')}
            disabled={!allowed('adult')}
            data-testid="sell-adult"
          >
            {t('pos.sellAdult', { price: formatMoney(15) })}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void sell.run('child')}
            disabled={!allowed('child')}
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

/**
 * The answer of the check, before anything is sold: may this person buy today, which packs,
 * and every reason why not in plain words with the date or the weekdays they need.
 */
function Verdict({ verdict }: { verdict: Eligibility }) {
  const { t } = useTranslation();
  return (
    <div
      className={`notice ${verdict.mayBuy ? 'notice-success' : 'notice-error'}`}
      data-testid="pos-verdict"
      data-may-buy={verdict.mayBuy}
    >
      <p className="notice-title">{verdict.mayBuy ? t('pos.mayBuy') : t('pos.mayNotBuy')}</p>
      <p>
        {t('pos.buyer', { name: verdict.buyer.nameMasked, age: verdict.buyer.age })} ·{' '}
        {t('pos.today', { date: formatDate(verdict.today) })}
      </p>
      <dl className="facts">
        {ITEMS.map((item) => {
          const { allowed, reason } = verdict.items[item];
          return (
            <Fragment key={item}>
              <dt>{t(`item.${item}`)}</dt>
              <dd data-testid={`pos-pack-${item}`} data-allowed={allowed}>
                {allowed
                  ? t('pos.packAllowed')
                  : t('pos.packRefused', { reason: t(runtimeKey(`pos.short.${reason?.code ?? 'UNKNOWN'}`)) })}
              </dd>
            </Fragment>
          );
        })}
      </dl>
      {verdict.reasons.length > 0 ? (
        <>
          <p className="notice-title">{t('pos.reasonsTitle')}</p>
          <ul data-testid="pos-reasons">
            {verdict.reasons.map((reason) => (
              <li key={`${reason.code}-${reason.item ?? ''}`} data-reason-code={reason.code}>
                <ReasonText reason={reason} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** One reason in the words of the error notices (errors.<CODE>, errors.hint.*). */
function ReasonText({ reason }: { reason: Reason }) {
  const { t } = useTranslation();
  const hints: string[] = [];
  if (reason.nextEligibleOn) {
    hints.push(t('errors.hint.nextEligibleOn', { date: formatDate(reason.nextEligibleOn) }));
  }
  if (reason.code === 'WRONG_DAY_FOR_ID' && reason.allowedWeekdays) {
    // Sunday is open to all and the hint says so: list only the ID's own days.
    const own = reason.allowedWeekdays.filter((day) => day !== 7);
    hints.push(t('errors.hint.allowedWeekdays', { days: formatWeekdays(own) }));
  }
  const text =
    reason.code === 'OUT_OF_STOCK' && reason.item
      ? t('pos.outOfStockItem', { item: t(`item.${reason.item}`), remaining: reason.remaining ?? 0 })
      : t(`errors.${reason.code}`, { defaultValue: reason.message });
  return (
    <>
      {text}
      {hints.map((hint) => (
        <Fragment key={hint}>
          <br />
          {hint}
        </Fragment>
      ))}
    </>
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
