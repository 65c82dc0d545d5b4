import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardReader, type InsertedCard } from '../../components/CardReader';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { api, newChallenge, newIdempotencyKey } from '../../lib/api';
import { formatDate, formatMoney } from '../../lib/format';
import { type PharmacySession, setSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';
import type { Eligibility, Item, Sale } from './eligibility';
import { StockPanel } from './StockPanel';
import { Verdict } from './Verdict';

/**
 * The pharmacy point of sale (SPEC §4, docs/PHARMACY.md): the pharmacist reads the buyer's NHI
 * card and sees at once, before selling, whether the person may buy today, which packs, and why
 * not with the date or weekdays they need (the eligibility check: the card signs a challenge);
 * then sells an allowed pack (the card signs a second challenge); stock is shown and set.
 */
export function PharmacyPos({ session }: { session: PharmacySession }) {
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
    try {
      const answer = await api.post<Sale>(
        `${base}/sales`,
        { ...(await presence(card)), item },
        { token: session.apiKey, idempotencyKey: newIdempotencyKey() },
      );
      setSale({ ...answer, item });
      // One pack per person per period: after a sale the verdict no longer holds.
      setVerdict(null);
    } catch (error) {
      // A refusal at the moment of sale (the last pack went to another till, the card was
      // swapped…) means the verdict on screen was stale: ask again, so the panel, the buttons
      // and the stock agree with the refusal.
      if (current.current === card) void check.run(card);
      throw error;
    } finally {
      setStockVersion((v) => v + 1);
    }
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
