import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api';
import { formatDate, formatWeekdays, storeLabel } from '../lib/format';

/**
 * Where the details say more than the code: which document at the counter is wrong and why
 * (`{document: 'buyer' | 'proxy', reason}`), which item ran out at the till (`{item, remaining}`).
 */
function specificReason(error: ApiError, t: TFunction): string {
  const d = error.details;
  if (error.code === 'DOCUMENT_MISMATCH') {
    if (d.document === 'proxy' && d.reason === 'is_buyer') return t('counter.documentMismatch.proxyIsBuyer');
    if (d.document === 'proxy') return t('counter.documentMismatch.proxyMalformed');
    if (d.document === 'buyer') return t('counter.documentMismatch.buyer');
  }
  if (error.code === 'OUT_OF_STOCK' && (d.item === 'adult' || d.item === 'child')) {
    return t('pos.outOfStockItem', {
      item: t(`item.${d.item}`),
      remaining: typeof d.remaining === 'number' ? d.remaining : 0,
    });
  }
  return '';
}

/**
 * A refusal in plain words: the reason for the API's error code, translated, and what the
 * person can do about it (the date they may come back, the weekdays allowed for their ID).
 */
export function ErrorNotice({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(0, {
          code: 'UNEXPECTED',
          message: error instanceof Error ? error.message : String(error),
        });
  const d = apiError.details;
  const hints: string[] = [];
  if (typeof d.nextEligibleOn === 'string') {
    hints.push(t('errors.hint.nextEligibleOn', { date: formatDate(d.nextEligibleOn) }));
  }
  if (typeof d.collectableFrom === 'string') {
    hints.push(t('errors.hint.collectableFrom', { date: formatDate(d.collectableFrom) }));
  }
  if (Array.isArray(d.allowedWeekdays)) {
    // Sunday is open to all and the hint says so: list only the ID's own days.
    const own = (d.allowedWeekdays as number[]).filter((day) => day !== 7);
    hints.push(t('errors.hint.allowedWeekdays', { days: formatWeekdays(own) }));
  }
  if (typeof d.pickupStartsOn === 'string' && typeof d.pickupEndsOn === 'string') {
    hints.push(
      t('errors.hint.pickupWindow', { from: formatDate(d.pickupStartsOn), to: formatDate(d.pickupEndsOn) }),
    );
  }
  const store = d.store as { chain?: string; name?: string } | undefined;
  if (store && typeof store === 'object' && store.name) {
    hints.push(
      t('errors.hint.store', {
        store: storeLabel({ chain: store.chain, name: store.name }, t),
      }),
    );
  }
  if (apiError.code === 'CARD_DECLINED' && typeof d.reason === 'string') {
    hints.push(t(`errors.cardReason.${d.reason}`, { defaultValue: d.reason }));
  }
  if (typeof d.collectedOn === 'string') {
    hints.push(t('errors.hint.collectedOn', { date: formatDate(d.collectedOn) }));
  }
  if (typeof d.maxPacks === 'number') {
    hints.push(t('errors.hint.maxPacks', { count: d.maxPacks }));
  }
  if (typeof d.retryAfter === 'string') {
    hints.push(t('errors.hint.retryAfter', { seconds: d.retryAfter }));
  }
  if (Array.isArray(d.fields)) {
    const fields = (d.fields as { field?: string }[]).map((f) => f.field ?? '').filter(Boolean);
    if (fields.length > 0) hints.push(t('errors.hint.fields', { fields: fields.join(', ') }));
  }
  const reason =
    specificReason(apiError, t) ||
    t(`errors.${apiError.code}`, { defaultValue: '' }) ||
    apiError.message ||
    apiError.code;
  return (
    <div className="notice notice-error" role="alert" id={id} data-error-code={apiError.code}>
      <p className="notice-title">{reason}</p>
      {hints.map((hint) => (
        <p key={hint}>{hint}</p>
      ))}
      <p className="notice-code">
        {t('errors.codeLabel')}: <code>{apiError.code}</code>
      </p>
    </div>
  );
}

export function SuccessNotice({ children }: { children: React.ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}
