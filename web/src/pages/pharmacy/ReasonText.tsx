import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatWeekdays } from '../../lib/format';
import type { Reason } from './eligibility';

/** One reason in the words of the error notices (errors.<CODE>, errors.hint.*). */
export function ReasonText({ reason }: { reason: Reason }) {
  const { t } = useTranslation();
  const hints: string[] = [];
  if (reason.nextEligibleOn) {
    hints.push(t('errors.hint.nextEligibleOn', { date: formatDate(reason.nextEligibleOn) }));
  }
  if (reason.code === 'WRONG_DAY_FOR_ID' && reason.allowedWeekdays) {
    // Sunday is open to all and the hint says so: list only the ID's own days.
    const own = reason.allowedWeekdays.filter((day) => day !== 7);
    hints.push(t('errors.hint.allowedWeekdays', { days: formatWeekdays(own) }));
  }
  const text =
    reason.code === 'OUT_OF_STOCK' && reason.item
      ? t('pos.outOfStockItem', { item: t(`item.${reason.item}`), remaining: reason.remaining ?? 0 })
      : t(`errors.${reason.code}`, { defaultValue: reason.message });
  return (
    <>
      {text}
      {hints.map((hint) => (
        <Fragment key={hint}>
          <br />
          {hint}
        </Fragment>
      ))}
    </>
  );
}
