import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PlaceFilter } from '../../components/PlaceFilter';
import { TextField } from '../../components/TextField';
import { api, query, type Store } from '../../lib/api';
import { storeLabel } from '../../lib/format';
import { cityLabel } from '../../lib/places';
import { useAsync } from '../../lib/use-async';
import { CloseStore } from './CloseStore';

/**
 * Stores: find one, close it and move its open orders to another store (SPEC §5 [ORD 24.10]).
 * A store closed here shows as closed at once, then the list is read again.
 */
export function StoresAdmin({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const [city, setCity] = useState('');
  const [chain, setChain] = useState('');
  const [q, setQ] = useState('');
  const [closing, setClosing] = useState<Store | null>(null);
  const [closedHere, setClosedHere] = useState<ReadonlySet<number>>(() => new Set());
  const stores = useAsync(
    (signal) =>
      api.get<{ stores: Store[] }>(`/api/v1/stores${query({ city, chain, q: q.trim(), limit: 300 })}`, {
        signal,
        cache: 'no-cache',
      }),
    [city, chain, q],
  );
  const list = (stores.data?.stores ?? []).map((s) => (closedHere.has(s.id) ? { ...s, open: false } : s));
  return (
    <section aria-labelledby="stores-admin-title">
      <h2 id="stores-admin-title">{t('admin.stores.title')}</h2>
      <div className="field-grid panel">
        <PlaceFilter city={city} onCity={setCity} chain={{ value: chain, onChange: setChain }} />
        <TextField
          id={`${uid}-q`}
          label={t('storePicker.search')}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <ErrorNotice error={stores.error} />
      {closing ? (
        <CloseStore
          key={closing.id}
          store={closing}
          token={token}
          onClosed={(id) => {
            setClosedHere((ids) => new Set(ids).add(id));
            stores.reload();
          }}
          onDone={() => setClosing(null)}
        />
      ) : null}
      <div className="table-wrap">
        <table>
          <caption>{t('admin.stores.caption', { count: list.length })}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('admin.stores.name')}</th>
              <th scope="col">{t('admin.stores.place')}</th>
              <th scope="col">{t('admin.stores.status')}</th>
              <th scope="col">{t('admin.stores.action')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-testid={`store-row-${s.id}`}>
                <td>{s.id}</td>
                <td>
                  {storeLabel(s, t)} <small>#{s.storeNo}</small>
                </td>
                <td>
                  {cityLabel(s.city, i18n.language)} {s.district}
                </td>
                <td data-testid={`store-status-${s.id}`}>
                  {s.open ? t('admin.stores.open') : t('admin.stores.closed')}
                </td>
                <td>
                  {s.open ? (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => setClosing(s)}
                      data-testid={`close-store-${s.id}`}
                    >
                      {t('admin.stores.close')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
