import { useTranslation } from 'react-i18next';
import type { PurchasesView } from '../lib/api';
import { formatDate } from '../lib/format';

/** SPEC §7: every purchase in any channel, and the next date the person may buy. */
export function PurchaseRecord({ view }: { view: PurchasesView }) {
  const { t } = useTranslation();
  return (
    <div className="purchase-record">
      <p className="next-eligible" data-testid="next-eligible">
        {view.nextEligibleOn
          ? t('purchases.nextEligible', { date: formatDate(view.nextEligibleOn) })
          : t('purchases.eligibleNow')}
      </p>
      {view.purchases.length === 0 ? (
        <p className="hint">{t('purchases.none')}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="purchases-table">
            <caption>{t('purchases.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('purchases.date')}</th>
                <th scope="col">{t('purchases.channel')}</th>
                <th scope="col">{t('purchases.place')}</th>
                <th scope="col">{t('purchases.item')}</th>
                <th scope="col">{t('purchases.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {view.purchases.map((p) => (
                <tr key={`${p.date}-${p.channel}-${p.place}-${p.item}`}>
                  <td>{formatDate(p.date)}</td>
                  <td>{t(`channel.${p.channel}`)}</td>
                  <td>{p.place}</td>
                  <td>{t(`item.${p.item}`)}</td>
                  <td>{p.quantity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
