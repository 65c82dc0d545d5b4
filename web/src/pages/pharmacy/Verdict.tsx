import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { runtimeKey } from '../../lib/message-key';
import { type Eligibility, ITEMS } from './eligibility';
import { ReasonText } from './ReasonText';

/**
 * The answer of the check, before anything is sold: may this person buy today, which packs,
 * and every reason why not in plain words with the date or the weekdays they need.
 */
export function Verdict({ verdict }: { verdict: Eligibility }) {
  const { t } = useTranslation();
  return (
    <div
      className={`notice ${verdict.mayBuy ? 'notice-success' : 'notice-error'}`}
      data-testid="pos-verdict"
      data-may-buy={verdict.mayBuy}
    >
      <p className="notice-title">{verdict.mayBuy ? t('pos.mayBuy') : t('pos.mayNotBuy')}</p>
      <p>
        {t('pos.buyer', { name: verdict.buyer.nameMasked, age: verdict.buyer.age })} ·{' '}
        {t('pos.today', { date: formatDate(verdict.today) })}
      </p>
      <dl className="facts">
        {ITEMS.map((item) => {
          const { allowed, reason } = verdict.items[item];
          return (
            <Fragment key={item}>
              <dt>{t(`item.${item}`)}</dt>
              <dd data-testid={`pos-pack-${item}`} data-allowed={allowed}>
                {allowed
                  ? t('pos.packAllowed')
                  : t('pos.packRefused', { reason: t(runtimeKey(`pos.short.${reason?.code ?? 'UNKNOWN'}`)) })}
              </dd>
            </Fragment>
          );
        })}
      </dl>
      {verdict.reasons.length > 0 ? (
        <>
          <p className="notice-title">{t('pos.reasonsTitle')}</p>
          <ul data-testid="pos-reasons">
            {verdict.reasons.map((reason) => (
              <li key={`${reason.code}-${reason.item ?? ''}`} data-reason-code={reason.code}>
                <ReasonText reason={reason} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
