import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { api, type Store } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { useAction } from '../../lib/use-async';

/** Close a store and move its open orders to another, the same district's first (SPEC §5 [ORD 24.10]). */
export function CloseStore({
  store,
  candidates,
  token,
  onDone,
}: {
  store: Store;
  candidates: Store[];
  token: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const nearby = [...candidates].sort(
    (a, b) => Number(b.district === store.district) - Number(a.district === store.district),
  );
  const [target, setTarget] = useState(String(nearby[0]?.id ?? ''));
  const [result, setResult] = useState<{ ordersMoved?: number } | null>(null);
  const close = useAction(async () => {
    const answer = await api.post<{ ordersMoved?: number }>(
      `/api/v1/admin/stores/${store.id}/close`,
      { reassignTo: Number(target) },
      { token },
    );
    setResult(answer);
  });
  useEndSessionOn401('admin', close.error);
  return (
    <form
      className="panel notice-box"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void close.run();
      }}
      aria-labelledby={`${uid}-title`}
    >
      <h3 id={`${uid}-title`}>{t('admin.stores.closeTitle', { name: `${store.chain} ${store.name}` })}</h3>
      <SelectField
        id={`${uid}-target`}
        label={t('admin.stores.reassignTo')}
        value={target}
        onChange={(e) => setTarget(e.target.value)}
        required
      >
        {nearby.map((s) => (
          <option key={s.id} value={s.id}>
            #{s.id} {s.chain} {s.name} · {s.district}
          </option>
        ))}
      </SelectField>
      <ErrorNotice error={close.error} />
      {result ? (
        <SuccessNotice>
          {t('admin.stores.closed', { count: result.ordersMoved ?? 0 })}{' '}
          {t('admin.stores.moved', { count: result.ordersMoved ?? 0 })}
        </SuccessNotice>
      ) : null}
      <div className="button-row">
        {result ? (
          <button type="button" onClick={onDone}>
            {t('common.done')}
          </button>
        ) : (
          <>
            <button type="submit" disabled={!target || close.busy}>
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
