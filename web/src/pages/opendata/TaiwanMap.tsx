import taiwan from '@svg-maps/taiwan';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PharmacyFeature } from '../../lib/api';
import { CITIES, cityByName } from '../../lib/places';

interface SvgMap {
  viewBox: string;
  locations: { id: string; name: string; path: string }[];
}
const MAP = taiwan as unknown as SvgMap;

/**
 * The outline of @svg-maps/taiwan is one equirectangular-like projection for the main island,
 * Penghu, Kinmen and Matsu alike; these constants were fitted to its extremes (Fuguijiao 25.30°N,
 * Eluanbi 21.90°N, Guosheng lighthouse 120.035°E, Sandiaojiao 122.00°E) and checked on Taipei,
 * Penghu, Kinmen and Matsu to within a few units of the 1000-unit-wide drawing.
 */
export function project(lng: number, lat: number): { x: number; y: number } {
  return { x: 479 + (lng - 120.035) * 264.6, y: 323 + (25.3 - lat) * 285.6 };
}

/** Bounding box of an SVG path made of M/m/L/l/H/h/V/v/Z commands (the only ones the outlines use). */
function bbox(path: string): { minX: number; minY: number; maxX: number; maxY: number } {
  const tokens = path.match(/[MmLlHhVvZz]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let cmd = 'M';
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as string;
    if (/[A-Za-z]/.test(token)) {
      cmd = token;
      i++;
      if (cmd === 'z' || cmd === 'Z') {
        x = startX;
        y = startY;
      }
      continue;
    }
    const a = Number(token);
    if (cmd === 'H' || cmd === 'h') {
      x = cmd === 'H' ? a : x + a;
      i++;
    } else if (cmd === 'V' || cmd === 'v') {
      y = cmd === 'V' ? a : y + a;
      i++;
    } else {
      const b = Number(tokens[i + 1]);
      i += 2;
      if (cmd === 'M' || cmd === 'L') {
        x = a;
        y = b;
      } else {
        x += a;
        y += b;
      }
      if (cmd === 'M' || cmd === 'm') {
        startX = x;
        startY = y;
        cmd = cmd === 'M' ? 'L' : 'l';
      }
    }
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

function stockClass(f: PharmacyFeature): string {
  const { adult, child } = f.properties;
  if (adult + child === 0) return 'stock-none';
  if (adult < 30) return 'stock-low';
  return 'stock-ok';
}

export function TaiwanMap({
  features,
  city,
  onCity,
  selected,
  onSelect,
}: {
  features: PharmacyFeature[];
  city: string;
  onCity: (city: string) => void;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const boxes = useMemo(() => new Map(MAP.locations.map((l) => [l.id, bbox(l.path)])), []);
  const svgId = cityByName(city)?.svgId;
  const box = svgId ? boxes.get(svgId) : undefined;
  const viewBox = box
    ? (() => {
        const pad = Math.max(box.maxX - box.minX, box.maxY - box.minY) * 0.12 + 8;
        return `${box.minX - pad} ${box.minY - pad} ${box.maxX - box.minX + 2 * pad} ${box.maxY - box.minY + 2 * pad}`;
      })()
    : MAP.viewBox;
  const scale = box ? Math.max(box.maxX - box.minX, box.maxY - box.minY) / 1000 : 1;
  const radius = Math.max(1.6, 6 * scale);
  const points = features.filter((f) => f.geometry);
  return (
    <figure className="map-figure">
      <svg
        className="taiwan-map"
        viewBox={viewBox}
        role="img"
        aria-labelledby="map-title map-desc"
        data-testid="taiwan-map"
      >
        <title id="map-title">{t('openData.mapTitle')}</title>
        <desc id="map-desc">{t('openData.mapDesc', { count: points.length })}</desc>
        {MAP.locations.map((location) => {
          const meta = CITIES.find((c) => c.svgId === location.id);
          const active = meta?.svgId === svgId;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; the city select above the map does the same for keyboards
            <path
              key={location.id}
              d={location.path}
              className={`county${active ? ' active' : ''}`}
              onClick={() => meta && onCity(active ? '' : meta.zh)}
            >
              <title>{meta ? (i18n.language === 'en' ? meta.en : meta.zh) : location.name}</title>
            </path>
          );
        })}
        {points.map((f) => {
          const [lng, lat] = f.geometry?.coordinates ?? [0, 0];
          const { x, y } = project(lng, lat);
          const isSelected = f.properties.code === selected;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: the table below lists every pharmacy for keyboard users
            <circle
              key={f.properties.code}
              cx={x}
              cy={y}
              r={isSelected ? radius * 1.8 : radius}
              className={`pharmacy-dot ${stockClass(f)}${isSelected ? ' selected' : ''}`}
              onClick={() => onSelect(f.properties.code)}
            >
              <title>{`${f.properties.name} · ${t('item.adult')} ${f.properties.adult} · ${t('item.child')} ${f.properties.child}`}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          <li>
            <span className="swatch stock-ok" aria-hidden="true" />
            {t('openData.legendOk')}
          </li>
          <li>
            <span className="swatch stock-low" aria-hidden="true" />
            {t('openData.legendLow')}
          </li>
          <li>
            <span className="swatch stock-none" aria-hidden="true" />
            {t('openData.legendNone')}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
