import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Small inline-SVG charts (no chart library): each is an image with a title and a summary for
 * screen readers, and the numbers behind it in a table that can be opened. Each draws at the
 * width it is shown at (one unit = one CSS pixel), so its text keeps its size on a phone
 * instead of shrinking with a fixed viewBox (issue 17 point 9: funnel labels were ~7 px).
 */

export interface Series {
  key: string;
  label: string;
  className: string;
}

const DEFAULT_W = 640;
const MIN_W = 280;
const H = 220;

/** The width an element is laid out at, followed as it changes (first render: a default). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_W);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(MIN_W, Math.floor(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
const PAD = { top: 12, right: 12, bottom: 34, left: 44 };

/** A round axis maximum; at least 4 so that the quarter ticks of small counts are whole numbers. */
function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function Axis({ max, height, width: W }: { max: number; height: number; width: number }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <g className="axis">
      {ticks.map((f) => {
        const y = PAD.top + height - f * height;
        return (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} className="grid" />
            <text x={PAD.left - 6} y={y + 4} textAnchor="end">
              {Math.round(f * max).toLocaleString()}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Stacked vertical bars: one bar per row, one stack per series. */
export function BarChart<Row extends Record<string, number | string>>({
  title,
  summary,
  rows,
  labelKey,
  series,
  formatLabel,
  showLabel,
  testId,
}: {
  title: string;
  summary: string;
  rows: Row[];
  labelKey: keyof Row & string;
  series: Series[];
  formatLabel?: (value: string) => string;
  /** Which rows get an axis label (default: about eight evenly spaced). */
  showLabel?: (row: Row, index: number) => boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const box = useRef<HTMLDivElement>(null);
  const W = useWidth(box);
  const height = H - PAD.top - PAD.bottom;
  const width = W - PAD.left - PAD.right;
  const totals = rows.map((r) => series.reduce((sum, s) => sum + Number(r[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const step = rows.length > 0 ? width / rows.length : width;
  const barWidth = Math.max(1, step * 0.8);
  const labelEvery = Math.max(1, Math.ceil(rows.length / Math.max(2, Math.min(8, Math.floor(width / 60)))));
  const label = (row: Row) => {
    const raw = String(row[labelKey]);
    return formatLabel ? formatLabel(raw) : raw;
  };
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={`${uid}-title`}>{title}</figcaption>
      <div ref={box} className="chart-box">
        <svg
          viewBox={`0 0 ${W} ${H}`}
          width={W}
          height={H}
          role="img"
          aria-labelledby={`${uid}-svg-title ${uid}-desc`}
        >
          <title id={`${uid}-svg-title`}>{title}</title>
          <desc id={`${uid}-desc`}>{summary}</desc>
          <Axis max={max} height={height} width={W} />
          {rows.map((row, i) => {
            let y = PAD.top + height;
            const x = PAD.left + i * step + (step - barWidth) / 2;
            return (
              <g key={String(row[labelKey])}>
                {series.map((s) => {
                  const value = Number(row[s.key] ?? 0);
                  const h = (value / max) * height;
                  y -= h;
                  return value > 0 ? (
                    <rect key={s.key} x={x} y={y} width={barWidth} height={h} className={s.className}>
                      <title>{`${label(row)} · ${s.label}: ${value.toLocaleString()}`}</title>
                    </rect>
                  ) : null;
                })}
                {(showLabel ? showLabel(row, i) : i % labelEvery === 0) ? (
                  <text x={x + barWidth / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">
                    {label(row)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      {series.length > 1 ? (
        <ul className="legend">
          {series.map((s) => (
            <li key={s.key}>
              <span className={`swatch ${s.className}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>{t('charts.showData')}</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('charts.label')}</th>
                {series.map((s) => (
                  <th key={s.key} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={String(row[labelKey])}>
                  <th scope="row">{label(row)}</th>
                  {series.map((s) => (
                    <td key={s.key}>{Number(row[s.key] ?? 0).toLocaleString()}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Horizontal bars with their values written beside them (the selected → paid → collected funnel). */
export function FunnelChart({
  title,
  steps,
  testId,
}: {
  title: string;
  steps: { label: string; value: number }[];
  testId?: string;
}) {
  const uid = useId();
  const box = useRef<HTMLDivElement>(null);
  const W = useWidth(box);
  const max = Math.max(1, ...steps.map((s) => s.value));
  const rowH = 36;
  const labelW = Math.min(150, Math.round(W * 0.32));
  const height = steps.length * rowH + 8;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={`${uid}-title`}>{title}</figcaption>
      <div ref={box} className="chart-box">
        <svg
          viewBox={`0 0 ${W} ${height}`}
          width={W}
          height={height}
          role="img"
          aria-labelledby={`${uid}-svg-title ${uid}-desc`}
        >
          <title id={`${uid}-svg-title`}>{title}</title>
          <desc id={`${uid}-desc`}>
            {steps.map((s) => `${s.label}: ${s.value.toLocaleString()}`).join('; ')}
          </desc>
          {steps.map((s, i) => {
            const w = ((W - labelW - 100) * s.value) / max;
            const y = 4 + i * rowH;
            const previous = i > 0 ? (steps[i - 1]?.value ?? 0) : 0;
            const share = i > 0 && previous > 0 ? ` (${Math.round((100 * s.value) / previous)}%)` : '';
            return (
              <g key={s.label}>
                <text x={labelW - 8} y={y + 20} textAnchor="end" className="tick">
                  {s.label}
                </text>
                <rect x={labelW} y={y + 4} width={Math.max(w, 1)} height={rowH - 10} className={`bar-${i}`} />
                <text x={labelW + Math.max(w, 1) + 6} y={y + 20} className="value">
                  {`${s.value.toLocaleString()}${share}`}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
