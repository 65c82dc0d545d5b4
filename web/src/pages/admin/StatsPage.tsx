import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart, FunnelChart } from '../../components/Charts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { api, query, type Round } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { formatDateTime, formatNumber, formatTime } from '../../lib/format';
import { cityLabel } from '../../lib/places';
import { useAsync } from '../../lib/use-async';

/** The answer of GET /api/v1/admin/stats (src/stats). */
export interface Stats {
  generatedAt: string;
  round: { id: number; name: string; registrationOpensAt: string; registrationClosesAt: string } | null;
  ordersPerHour: { hour: string; orders: number }[];
  funnel: { orders: number; selected: number; paid: number; collected: number };
  purchasesPerDay: { date: string; pharmacy: number; online: number; airport: number }[];
  stockByCity: { city: string; pharmacies: number; adult: number; child: number }[];
}

const REFRESH_MS = 15_000;

/** Live figures: orders per hour, the draw → payment → pickup funnel, purchases per channel, stock per city. */
export function StatsPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const [roundId, setRoundId] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  const rounds = useAsync((signal) => api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }), []);
  const stats = useAsync(
    (signal) => api.get<Stats>(`/api/v1/admin/stats${query({ roundId })}`, { token, signal }),
    [token, roundId, tick],
  );
  useEndSessionOn401('admin', stats.error);
  const data = stats.data;
  const totalOrders = data?.ordersPerHour.reduce((sum, h) => sum + h.orders, 0) ?? 0;
  const peak = data?.ordersPerHour.reduce(
    (best, h) => (h.orders > (best?.orders ?? -1) ? h : best),
    data.ordersPerHour[0],
  );

  return (
    <section aria-labelledby="stats-title" className="stats">
      <div className="panel-head">
        <h2 id="stats-title">{t('admin.stats.title')}</h2>
        <SelectField
          id={`${uid}-round`}
          label={t('admin.stats.round')}
          fieldClassName="inline"
          value={roundId}
          onChange={(e) => setRoundId(e.target.value)}
          data-testid="stats-round"
        >
          <option value="">{t('admin.stats.latestRound')}</option>
          {(rounds.data?.rounds ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorNotice error={stats.error} />
      {data ? (
        <>
          <p className="hint" aria-live="polite">
            {t('admin.stats.asOf', { at: formatDateTime(data.generatedAt) })}
            {data.round ? ` · ${data.round.name}` : ''}
          </p>
          <dl className="kpis" data-testid="stats-kpis">
            <div>
              <dt>{t('admin.stats.orders')}</dt>
              <dd>{formatNumber(data.funnel.orders)}</dd>
            </div>
            <div>
              <dt>{t('admin.stats.selected')}</dt>
              <dd>{formatNumber(data.funnel.selected)}</dd>
            </div>
            <div>
              <dt>{t('admin.stats.paid')}</dt>
              <dd>{formatNumber(data.funnel.paid)}</dd>
            </div>
            <div>
              <dt>{t('admin.stats.collected')}</dt>
              <dd>{formatNumber(data.funnel.collected)}</dd>
            </div>
          </dl>
          <div className="chart-grid">
            <BarChart
              testId="chart-orders-per-hour"
              title={t('admin.stats.ordersPerHour')}
              summary={t('admin.stats.ordersPerHourSummary', {
                total: formatNumber(totalOrders),
                peak: peak ? `${formatDateTime(peak.hour)} (${formatNumber(peak.orders)})` : '—',
              })}
              rows={data.ordersPerHour}
              labelKey="hour"
              series={[{ key: 'orders', label: t('admin.stats.orders'), className: 'series-0' }]}
              formatLabel={(hour) => (data.ordersPerHour.length > 48 ? hour.slice(5, 10) : formatTime(hour))}
              showLabel={(row, i) =>
                data.ordersPerHour.length > 48
                  ? i === 0 || row.hour.slice(11, 13) === '00'
                  : i % Math.ceil(data.ordersPerHour.length / 8) === 0
              }
            />
            <FunnelChart
              testId="chart-funnel"
              title={t('admin.stats.funnel')}
              steps={[
                { label: t('admin.stats.orders'), value: data.funnel.orders },
                { label: t('admin.stats.selected'), value: data.funnel.selected },
                { label: t('admin.stats.paid'), value: data.funnel.paid },
                { label: t('admin.stats.collected'), value: data.funnel.collected },
              ]}
            />
            <BarChart
              testId="chart-purchases"
              title={t('admin.stats.purchasesPerDay')}
              summary={t('admin.stats.purchasesSummary', {
                total: formatNumber(
                  data.purchasesPerDay.reduce((s, d) => s + d.pharmacy + d.online + d.airport, 0),
                ),
              })}
              rows={data.purchasesPerDay}
              labelKey="date"
              series={[
                { key: 'pharmacy', label: t('channel.pharmacy'), className: 'series-0' },
                { key: 'online', label: t('channel.online'), className: 'series-1' },
                { key: 'airport', label: t('channel.airport'), className: 'series-2' },
              ]}
              formatLabel={(date) => date.slice(5)}
            />
            <BarChart
              testId="chart-stock"
              title={t('admin.stats.stockByCity')}
              summary={t('admin.stats.stockSummary', {
                adult: formatNumber(data.stockByCity.reduce((s, c) => s + c.adult, 0)),
                child: formatNumber(data.stockByCity.reduce((s, c) => s + c.child, 0)),
              })}
              rows={data.stockByCity}
              labelKey="city"
              series={[
                { key: 'adult', label: t('item.adultMasks'), className: 'series-0' },
                { key: 'child', label: t('item.childMasks'), className: 'series-1' },
              ]}
              formatLabel={(city) => cityLabel(city, i18n.language).replace(/ (City|County)$/, '')}
            />
          </div>
        </>
      ) : stats.loading ? (
        <p className="hint">{t('common.loading')}</p>
      ) : null}
    </section>
  );
}
