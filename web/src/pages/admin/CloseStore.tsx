import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { api, query, type Store } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { storeLabel } from '../../lib/format';
import { cityLabel } from '../../lib/places';
import { useAction, useAsync } from '../../lib/use-async';

/**
 * Close a store and move its open orders to another (SPEC §5 [ORD 24.10]). The stores offered
 * are the API's nearest open ones (same district, then city: docs/PARTNERS.md "Closing a
 * store"), whatever the list's search said; `onClosed` tells the list at once.
 */
export function CloseStore({
  store,
  token,
  onClosed,
  onDone,
}: {
  store: Store;
  token: string;
  onClosed: (id: number) => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const successors = useAsync(
    (signal) =>
      api.get<{ stores: Store[] }>(`/api/v1/admin/stores/${store.id}/successors${query({ limit: 50 })}`, {
        token,
        signal,
      }),
    [store.id, token],
  );
  const nearby = successors.data?.stores ?? [];
  const [target, setTarget] = useState('');
  useEffect(() => {
    if (!target && nearby[0]) setTarget(String(nearby[0].id));
  }, [target, nearby]);
  const [result, setResult] = useState<{ ordersMoved?: number } | null>(null);
  const close = useAction(async () => {
    const answer = await api.post<{ ordersMoved?: number }>(
      `/api/v1/admin/stores/${store.id}/close`,
      { reassignTo: Number(target) },
      { token },
    );
    setResult(answer);
    onClosed(store.id);
  });
  useEndSessionOn401('admin', close.error ?? successors.error);
  const name = storeLabel(store, t);
  const none = successors.data !== undefined && nearby.length === 0;
  return (
    <form
      className="panel notice-box"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void close.run();
      }}
      aria-labelledby={`${uid}-title`}
      data-testid="close-store"
    >
      <h3 id={`${uid}-title`}>{t('admin.stores.closeTitle', { name })}</h3>
      {result ? null : none ? (
        <p className="notice notice-info" role="status" data-testid="no-successors">
          {t('ops.stores.noSuccessors')}
        </p>
      ) : (
        <SelectField
          id={`${uid}-target`}
          label={t('admin.stores.reassignTo')}
          hint={t('ops.stores.successors')}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          required
          disabled={successors.loading && !successors.data}
          data-testid="close-store-target"
        >
          {nearby.map((s) => (
            <option key={s.id} value={s.id}>
              {`${storeLabel(s, t)} #${s.storeNo} · ${cityLabel(s.city, i18n.language)} ${s.district}`}
            </option>
          ))}
        </SelectField>
      )}
      <ErrorNotice error={close.error ?? successors.error} />
      {result ? (
        <SuccessNotice>
          {t('ops.stores.closedNow', { name })} {t('admin.stores.moved', { count: result.ordersMoved ?? 0 })}
        </SuccessNotice>
      ) : null}
      <div className="button-row">
        {result ? (
          <button type="button" onClick={onDone}>
            {t('common.done')}
          </button>
        ) : (
          <>
            <button type="submit" disabled={!target || none || close.busy} data-testid="close-store-confirm">
              {t('admin.stores.confirmClose')}
            </button>
            <button type="button" className="secondary" onClick={onDone}>
              {t('common.cancel')}
            </button>
          </>
        )}
      </div>
    </form>
  );
}
