import { useTranslation } from 'react-i18next';
import type { PharmacyRow } from '../../lib/opendata-filter';

/** Rows shown at most; the count of the rest is said below the table. */
const SHOWN = 300;

/** The pharmacies that match, with their masks left; the selected one is highlighted. */
export function PharmacyTable({
  rows,
  selected,
  onSelect,
}: {
  rows: readonly PharmacyRow[];
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const { t } = useTranslation();
  return (
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
          {rows.slice(0, SHOWN).map((r) => {
            const p = r.feature.properties;
            return (
              <tr
                key={p.code}
                id={`pharmacy-${p.code}`}
                className={selected === p.code ? 'selected' : undefined}
              >
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onSelect(p.code)}>
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
      {rows.length > SHOWN ? (
        <p className="hint">{t('openData.more', { count: rows.length - SHOWN })}</p>
      ) : null}
    </div>
  );
}
