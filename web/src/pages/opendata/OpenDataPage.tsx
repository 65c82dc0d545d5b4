import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { api, type PharmacyFeature, type PharmacyStock } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { CITIES, cityByName, placeOf } from '../../lib/places';
import { useAsync } from '../../lib/use-async';
import { TaiwanMap } from './TaiwanMap';

interface Row {
  feature: PharmacyFeature;
  city: string | null;
  district: string | null;
}

/** SPEC §4: every pharmacy's remaining adult and child masks, as NHI published them for mask maps. */
export default function OpenDataPage() {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const [city, setCity] = useState('');
  const [district, setDistrict] = useState('');
  const [onlyStock, setOnlyStock] = useState(false);
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const stock = useAsync(
    (signal) => api.get<PharmacyStock>('/api/v1/open-data/pharmacy-stock.json', { signal }),
    [],
  );

  const rows: Row[] = useMemo(
    () =>
      (stock.data?.features ?? []).map((feature) => {
        const place = placeOf(feature.properties.address);
        return {
          feature,
          city: place.city ? (cityByName(place.city)?.zh ?? place.city) : null,
          district: place.district,
        };
      }),
    [stock.data],
  );
  const districts = useMemo(
    () =>
      [...new Set(rows.filter((r) => r.city === city && r.district).map((r) => r.district as string))].sort(),
    [rows, city],
  );
  const filtered = rows.filter(
    (r) =>
      (!city || r.city === city) &&
      (!district || r.district === district) &&
      (!onlyStock || r.feature.properties.adult + r.feature.properties.child > 0) &&
      (!q.trim() ||
        r.feature.properties.name.includes(q.trim()) ||
        r.feature.properties.address.includes(q.trim())),
  );
  const totals = filtered.reduce(
    (sum, r) => ({
      adult: sum.adult + r.feature.properties.adult,
      child: sum.child + r.feature.properties.child,
    }),
    { adult: 0, child: 0 },
  );
  const updatedAt = rows.reduce<string | null>(
    (latest, r) =>
      r.feature.properties.updatedAt && (!latest || r.feature.properties.updatedAt > latest)
        ? r.feature.properties.updatedAt
        : latest,
    null,
  );
  const chooseCity = (value: string) => {
    setCity(value);
    setDistrict('');
  };

  return (
    <div className="section open-data">
      <PageTitle title={t('openData.title')} intro={t('openData.intro')} />
      <p className="downloads">
        <a
          className="button secondary"
          href="/api/v1/open-data/pharmacy-stock.csv"
          download="pharmacy-stock.csv"
          data-testid="csv-link"
        >
          {t('openData.csv')}
        </a>{' '}
        <a className="button secondary" href="/api/v1/open-data/pharmacy-stock.json">
          {t('openData.json')}
        </a>
      </p>
      <search className="field-grid panel" aria-label={t('openData.filters')}>
        <div className="field">
          <label htmlFor={`${uid}-city`}>{t('storePicker.city')}</label>
          <select
            id={`${uid}-city`}
            value={city}
            onChange={(e) => chooseCity(e.target.value)}
            data-testid="od-city"
          >
            <option value="">{t('storePicker.anyCity')}</option>
            {CITIES.map((c) => (
              <option key={c.zh} value={c.zh}>
                {i18n.language === 'en' ? c.en : c.zh}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-district`}>{t('storePicker.district')}</label>
          <select
            id={`${uid}-district`}
            value={district}
            disabled={!city}
            onChange={(e) => setDistrict(e.target.value)}
            data-testid="od-district"
          >
            <option value="">{t('storePicker.anyDistrict')}</option>
            {districts.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${uid}-q`}>{t('openData.search')}</label>
          <input id={`${uid}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={onlyStock} onChange={(e) => setOnlyStock(e.target.checked)} />
          {t('openData.onlyStock')}
        </label>
      </search>
      <ErrorNotice error={stock.error} />
      <p aria-live="polite" className="hint" data-testid="od-summary">
        {t('openData.summary', {
          count: filtered.length,
          adult: totals.adult.toLocaleString(),
          child: totals.child.toLocaleString(),
        })}
        {updatedAt ? ` · ${t('openData.updated', { at: formatDateTime(updatedAt) })}` : ''}
      </p>
      <div className="map-layout">
        <TaiwanMap
          features={filtered.map((r) => r.feature)}
          city={city}
          onCity={chooseCity}
          selected={selected}
          onSelect={(code) => {
            setSelected(code);
            document.getElementById(`pharmacy-${code}`)?.scrollIntoView({ block: 'nearest' });
          }}
        />
        <div className="table-wrap pharmacy-table">
          <table data-testid="od-table">
            <caption>{t('openData.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('openData.name')}</th>
                <th scope="col">{t('openData.address')}</th>
                <th scope="col">{t('item.adultMasks')}</th>
                <th scope="col">{t('item.childMasks')}</th>
              </tr>
            </thead>
            <tbody>
              {filtered.slice(0, 300).map((r) => {
                const p = r.feature.properties;
                return (
                  <tr
                    key={p.code}
                    id={`pharmacy-${p.code}`}
                    className={selected === p.code ? 'selected' : undefined}
                  >
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => setSelected(p.code)}>
                        {p.name}
                      </button>
                      <small>
                        {p.phone} · {p.code}
                      </small>
                    </th>
                    <td>{p.address}</td>
                    <td className={p.adult === 0 ? 'zero' : undefined}>{p.adult}</td>
                    <td className={p.child === 0 ? 'zero' : undefined}>{p.child}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {filtered.length > 300 ? (
            <p className="hint">{t('openData.more', { count: filtered.length - 300 })}</p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
