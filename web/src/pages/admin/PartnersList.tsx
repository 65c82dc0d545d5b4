import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { api, query } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { formatDateTime, storeLabel } from '../../lib/format';
import { cityLabel } from '../../lib/places';
import { useSearch } from '../../lib/router';
import { useAction, useAsync } from '../../lib/use-async';
import type { ShownKey } from './KeyOnce';

/** A row of GET /api/v1/admin/partners (src/partners/partners.schemas.ts PartnerView). */
export interface Partner {
  kind: 'pharmacy' | 'store' | 'airport';
  id: string;
  name: string;
  chain: string | null;
  storeNo: string | null;
  city: string | null;
  district: string | null;
  open: boolean;
  keys: { active: number; revoked: number; lastIssuedAt: string | null; lastRevokedAt: string | null };
}

interface PartnersAnswer {
  partners: Partner[];
  total: number;
  page: number;
  pageSize: number;
}

const KINDS = ['pharmacy', 'store', 'airport'] as const;
const PAGE_SIZE = 20;

/**
 * The list's filters: what the operator chose, started from the address (`?kind=&q=`) and set
 * again whenever a link changes it ("already registered" → the partner in the list).
 */
function useFilters() {
  const search = useSearch();
  const urlKind = KINDS.find((k) => k === search.get('kind')) ?? '';
  const urlQ = search.get('q') ?? '';
  const [state, setState] = useState({ kind: urlKind as string, q: urlQ, page: 1 });
  useEffect(() => setState({ kind: urlKind, q: urlQ, page: 1 }), [urlKind, urlQ]);
  const set = (next: { kind?: string; q?: string; page?: number }) =>
    setState((s) => ({ ...s, page: 1, ...next }));
  return { ...state, set };
}

/**
 * Pharmacies, stores and airport counters with their keys' state; rotate (a new key, shown once,
 * the old ones revoked) or revoke, each after a confirmation (docs/PARTNERS.md).
 */
export function PartnersList({
  token,
  version,
  onKey,
}: {
  token: string;
  version: number;
  onKey: (shown: Omit<ShownKey, 'id'>) => void;
}) {
  const { t, i18n } = useTranslation();
  const uid = useId();
  const filters = useFilters();
  const [asking, setAsking] = useState<{ partner: Partner; action: 'rotate' | 'revoke' } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const list = useAsync(
    (signal) =>
      api.get<PartnersAnswer>(
        `/api/v1/admin/partners${query({ kind: filters.kind, q: filters.q.trim(), page: filters.page, pageSize: PAGE_SIZE })}`,
        { token, signal },
      ),
    [token, filters.kind, filters.q, filters.page, version],
  );
  // A link to one partner ("already registered") lands here, not at the top of the page.
  const search = useSearch().toString();
  useEffect(() => {
    if (search && window.location.hash === '#partners-list') sectionRef.current?.scrollIntoView();
  }, [search]);
  const nameOf = (p: Partner) => (p.kind === 'store' ? storeLabel(p, t) : p.name);
  const act = useAction(async (partner: Partner, action: 'rotate' | 'revoke') => {
    const path = `/api/v1/admin/partners/${partner.kind}/${encodeURIComponent(partner.id)}/key`;
    const name = nameOf(partner);
    if (action === 'rotate') {
      const answer = await api.post<{ apiKey: string; revokedKeys: number }>(path, {}, { token });
      onKey({ label: t('ops.keys.forPartner', { name, id: partner.id }), secret: answer.apiKey });
      setDone(t('ops.partners.rotated', { name, count: answer.revokedKeys }));
    } else {
      const answer = await api.delete<{ revokedKeys: number }>(path, { token });
      setDone(t('ops.partners.revoked', { name, count: answer.revokedKeys }));
    }
    setAsking(null);
    list.reload();
  });
  useEndSessionOn401('admin', act.error ?? list.error);
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <section aria-labelledby={`${uid}-title`} id="partners-list" ref={sectionRef} data-testid="partners-list">
      <h2 id={`${uid}-title`}>{t('ops.partners.listTitle')}</h2>
      <search className="field-grid panel" aria-label={t('ops.partners.filters')}>
        <SelectField
          id={`${uid}-kind`}
          label={t('ops.partners.kind')}
          value={filters.kind}
          onChange={(e) => filters.set({ kind: e.target.value })}
          data-testid="partners-kind"
        >
          <option value="">{t('ops.partners.allKinds')}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`ops.partners.kindOf.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${uid}-q`}
          label={t('ops.partners.search')}
          type="search"
          value={filters.q}
          onChange={(e) => filters.set({ q: e.target.value })}
          data-testid="partners-q"
        />
      </search>
      {asking ? (
        <div
          className="panel notice-box"
          role="alertdialog"
          aria-labelledby={`${uid}-ask`}
          data-testid="partner-confirm"
        >
          <h3 id={`${uid}-ask`}>
            {t(asking.action === 'rotate' ? 'ops.partners.rotateOf' : 'ops.partners.revokeOf', {
              name: nameOf(asking.partner),
            })}
          </h3>
          <p>
            {t(asking.action === 'rotate' ? 'ops.partners.confirmRotate' : 'ops.partners.confirmRevoke', {
              name: nameOf(asking.partner),
            })}
          </p>
          <ErrorNotice error={act.error} />
          <div className="button-row">
            <button
              type="button"
              disabled={act.busy}
              onClick={() => void act.run(asking.partner, asking.action)}
              data-testid="partner-confirm-yes"
            >
              {t(asking.action === 'rotate' ? 'ops.partners.yesRotate' : 'ops.partners.yesRevoke')}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      <ErrorNotice error={list.error} />
      {data ? (
        <div className="table-wrap">
          <table>
            <caption>{t('ops.partners.caption', { total: data.total, page: data.page, pages })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ops.partners.col.kind')}</th>
                <th scope="col">{t('ops.partners.col.id')}</th>
                <th scope="col">{t('ops.partners.col.name')}</th>
                <th scope="col">{t('ops.partners.col.place')}</th>
                <th scope="col">{t('ops.partners.col.keys')}</th>
                <th scope="col">{t('ops.partners.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.partners.map((p) => (
                <tr key={`${p.kind}:${p.id}`} data-testid={`partner-row-${p.kind}-${p.id}`}>
                  <td>{t(`ops.partners.kindOf.${p.kind}`)}</td>
                  <td>
                    <code>{p.id}</code>
                    {p.storeNo ? <small> #{p.storeNo}</small> : null}
                  </td>
                  <td>
                    {nameOf(p)}
                    {p.open ? null : <small> ({t('ops.partners.closed')})</small>}
                  </td>
                  <td>{p.city ? `${cityLabel(p.city, i18n.language)} ${p.district ?? ''}` : '—'}</td>
                  <td data-testid="partner-keys">
                    {p.keys.active === 0 ? <strong>{t('ops.partners.noKey')}</strong> : null}
                    <span className="key-state">
                      {t('ops.partners.keysState', { active: p.keys.active, revoked: p.keys.revoked })}
                    </span>
                    {p.keys.lastIssuedAt ? (
                      <small>
                        {t('ops.partners.lastIssued', { at: formatDateTime(p.keys.lastIssuedAt) })}
                      </small>
                    ) : null}
                    {p.keys.lastRevokedAt ? (
                      <small>
                        {t('ops.partners.lastRevoked', { at: formatDateTime(p.keys.lastRevokedAt) })}
                      </small>
                    ) : null}
                  </td>
                  <td>
                    <div className="button-row">
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`${t('ops.partners.rotate')}: ${nameOf(p)}`}
                        onClick={() => {
                          setDone(null);
                          act.setError(undefined);
                          setAsking({ partner: p, action: 'rotate' });
                        }}
                        data-testid="partner-rotate"
                      >
                        {t('ops.partners.rotate')}
                      </button>
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`${t('ops.partners.revoke')}: ${nameOf(p)}`}
                        disabled={p.keys.active === 0}
                        onClick={() => {
                          setDone(null);
                          act.setError(undefined);
                          setAsking({ partner: p, action: 'revoke' });
                        }}
                        data-testid="partner-revoke"
                      >
                        {t('ops.partners.revoke')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.partners.length === 0 ? <p className="hint">{t('ops.partners.none')}</p> : null}
        </div>
      ) : list.loading ? (
        <p className="hint">{t('common.loading')}</p>
      ) : null}
      {pages > 1 ? (
        <nav aria-label={t('ops.partners.pages')} className="button-row">
          <button
            type="button"
            className="secondary small"
            disabled={filters.page <= 1}
            onClick={() => filters.set({ page: filters.page - 1 })}
            data-testid="partners-previous"
          >
            {t('ops.partners.previous')}
          </button>
          <button
            type="button"
            className="secondary small"
            disabled={filters.page >= pages}
            onClick={() => filters.set({ page: filters.page + 1 })}
            data-testid="partners-next"
          >
            {t('ops.partners.next')}
          </button>
        </nav>
      ) : null}
    </section>
  );
}
