import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { PlaceFilter } from '../../components/PlaceFilter';
import { TextField } from '../../components/TextField';
import { api, type PharmacyStock } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import {
  districtsOf,
  filterPharmacies,
  latestUpdate,
  maskTotals,
  toPharmacyRows,
} from '../../lib/opendata-filter';
import { useAsync } from '../../lib/use-async';
import { PharmacyTable } from './PharmacyTable';
import { TaiwanMap } from './TaiwanMap';

/** SPEC §4: every pharmacy's remaining adult and child masks, as NHI published them for mask maps. */
export default function OpenDataPage() {
  const { t } = useTranslation();
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

  const rows = useMemo(() => toPharmacyRows(stock.data?.features ?? []), [stock.data]);
  const districts = useMemo(() => districtsOf(rows, city), [rows, city]);
  const filtered = filterPharmacies(rows, { city, district, onlyStock, q });
  const totals = maskTotals(filtered);
  const updatedAt = latestUpdate(rows);
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
        <PlaceFilter
          city={city}
          onCity={chooseCity}
          district={{ value: district, options: districts, onChange: setDistrict }}
          testIdPrefix="od"
        />
        <TextField
          id={`${uid}-q`}
          label={t('openData.search')}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
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
        <PharmacyTable rows={filtered} selected={selected} onSelect={setSelected} />
      </div>
    </div>
  );
}
