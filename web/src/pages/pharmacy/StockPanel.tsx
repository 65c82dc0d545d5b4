import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api, newIdempotencyKey, type PharmacyStock } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { PharmacySession } from '../../lib/session';
import { useAction, useAsync } from '../../lib/use-async';

/** The pharmacy's stock as the open data shows it, and the form to set it after a count. */
export function StockPanel({ session, version }: { session: PharmacySession; version: number }) {
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
        <TextField
          id={`${uid}-adult`}
          label={t('pos.setAdult')}
          type="number"
          min={0}
          step={1}
          required
          inputMode="numeric"
          value={adult}
          onChange={(e) => setAdult(e.target.value)}
          data-testid="set-adult"
        />
        <TextField
          id={`${uid}-child`}
          label={t('pos.setChild')}
          type="number"
          min={0}
          step={1}
          required
          inputMode="numeric"
          value={child}
          onChange={(e) => setChild(e.target.value)}
          data-testid="set-child"
        />
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
