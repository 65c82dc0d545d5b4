import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query, type Store } from '../lib/api';
import { storeLabel } from '../lib/format';
import { cityLabel } from '../lib/places';
import { useAsync } from '../lib/use-async';
import { ErrorNotice } from './ErrorNotice';
import { PlaceFilter } from './PlaceFilter';
import { TextField } from './TextField';

/** The pickup store, chosen city → district → chain → store, with a search box (GET /api/v1/stores). */
export function StorePicker({
  value,
  onChange,
  initialCity = '',
}: {
  value: Store | null;
  onChange: (store: Store | null) => void;
  initialCity?: string;
}) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const [city, setCity] = useState(initialCity);
  const [district, setDistrict] = useState('');
  const [chain, setChain] = useState('');
  const [q, setQ] = useState('');
  const [debouncedQ, setDebouncedQ] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setDebouncedQ(q.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [q]);

  const cityStores = useAsync(
    (signal) =>
      city
        ? api.get<{ stores: Store[] }>(`/api/v1/stores${query({ city, limit: 1000 })}`, { signal })
        : Promise.resolve({ stores: [] as Store[] }),
    [city],
  );
  const districts = useMemo(
    () => [...new Set((cityStores.data?.stores ?? []).map((s) => s.district))].sort(),
    [cityStores.data],
  );

  const results = useAsync(
    (signal) =>
      city || debouncedQ
        ? api.get<{ stores: Store[] }>(
            `/api/v1/stores${query({ city, district, chain, q: debouncedQ, limit: 100 })}`,
            { signal },
          )
        : Promise.resolve({ stores: [] as Store[] }),
    [city, district, chain, debouncedQ],
  );
  const stores = results.data?.stores ?? [];

  return (
    <fieldset className="store-picker">
      <legend>{t('storePicker.title')}</legend>
      <div className="field-grid">
        <PlaceFilter
          city={city}
          onCity={(next) => {
            setCity(next);
            setDistrict('');
          }}
          district={{ value: district, options: districts, onChange: setDistrict }}
          chain={{ value: chain, onChange: setChain }}
          testIdPrefix="store"
        />
        <TextField
          id={`${uid}-q`}
          label={t('storePicker.search')}
          type="search"
          value={q}
          placeholder={t('storePicker.searchPlaceholder')}
          onChange={(e) => setQ(e.target.value)}
          data-testid="store-search"
        />
      </div>
      <ErrorNotice error={results.error ?? cityStores.error} />
      {!city && !debouncedQ ? (
        <p className="hint">{t('storePicker.start')}</p>
      ) : results.loading ? (
        <p className="hint">{t('common.loading')}</p>
      ) : stores.length === 0 ? (
        <p className="hint">{t('storePicker.none')}</p>
      ) : (
        <div
          className="store-list"
          role="radiogroup"
          aria-label={t('storePicker.results', { count: stores.length })}
        >
          {stores.map((store) => (
            <label key={store.id} className={`store-option${value?.id === store.id ? ' selected' : ''}`}>
              <input
                type="radio"
                name={`${uid}-store`}
                value={store.id}
                checked={value?.id === store.id}
                disabled={!store.open}
                onChange={() => onChange(store)}
                data-testid={`store-option-${store.id}`}
              />
              <span>
                <strong>{storeLabel(store, t)}</strong>
                <small>
                  {cityLabel(store.city, i18n.language)} {store.district} · {store.address} · #{store.storeNo}
                  {store.open ? '' : ` · ${t('storePicker.closed')}`}
                </small>
              </span>
            </label>
          ))}
        </div>
      )}
      {value ? (
        <p className="chosen" aria-live="polite">
          {t('storePicker.chosen', {
            store: storeLabel(value, t),
          })}
        </p>
      ) : null}
    </fieldset>
  );
}
