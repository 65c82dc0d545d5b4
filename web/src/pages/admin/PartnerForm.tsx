import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { ApiError, api } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { runtimeKey } from '../../lib/message-key';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-async';
import type { ShownKey } from './KeyOnce';
import type { Field, Kind } from './partner-fields';

/** Where the list shows a partner that is already registered (the list's kinds and `q`). */
function listLinkOf(kind: Kind, values: Record<string, string>): { to: string; id: string } | null {
  const at = (k: string, q: string) => ({
    to: `/admin/partners?kind=${k}&q=${encodeURIComponent(q)}#partners-list`,
    id: q,
  });
  if (kind === 'pharmacy' && values.code) return at('pharmacy', values.code.trim());
  if (kind === 'store' && values.storeNo) return at('store', values.storeNo.trim());
  if (kind === 'counter' && values.name) return at('airport', values.name.trim());
  return null;
}

/**
 * Registers one partner; its API key (or card key) goes to `onCreated`, which shows it until
 * dismissed. One already registered is said plainly, with a link to it in the list.
 */
export function PartnerForm({
  kind,
  token,
  path,
  fields,
  onCreated,
}: {
  kind: Kind;
  token: string;
  path: string;
  fields: Field[];
  onCreated: (shown: Omit<ShownKey, 'id'>) => void;
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.options?.[0]?.value ?? ''])),
  );
  const create = useAction(async () => {
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const value = (values[f.name] ?? '').trim();
      if (value === '') continue;
      body[f.name] =
        f.type === 'number'
          ? Number(value)
          : f.name === 'nationalId' || f.name === 'arcNumber'
            ? value.toUpperCase()
            : value;
    }
    const created = await api.post<Record<string, unknown>>(path, body, { token });
    const id = String(created.code ?? created.cardNo ?? created.id ?? '');
    onCreated({
      label:
        kind === 'card'
          ? t('ops.keys.forCard', { id })
          : t('ops.keys.forPartner', { name: String(body.name ?? ''), id }),
      secret: String(created.apiKey ?? created.privateKeyPem ?? ''),
      card: kind === 'card',
    });
  });
  useEndSessionOn401('admin', create.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  const exists = create.error instanceof ApiError && create.error.code === 'ALREADY_EXISTS';
  const existing = exists ? listLinkOf(kind, values) : null;
  return (
    <form className="panel" onSubmit={onSubmit} data-testid={`partner-form-${kind}`}>
      <div className="field-grid">
        {fields.map((f) => {
          const label = (
            <>
              {t(runtimeKey(`admin.partners.field.${f.name}`))}
              {f.required ? '' : ` ${t('common.optional')}`}
            </>
          );
          const onChange = (e: { target: { value: string } }) =>
            setValues((v) => ({ ...v, [f.name]: e.target.value }));
          return f.options ? (
            <SelectField
              key={f.name}
              id={`${uid}-${f.name}`}
              label={label}
              value={values[f.name]}
              onChange={onChange}
            >
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextField
              key={f.name}
              id={`${uid}-${f.name}`}
              label={label}
              type={f.type ?? 'text'}
              step={f.type === 'number' ? 'any' : undefined}
              required={f.required}
              pattern={f.pattern}
              value={values[f.name]}
              onChange={onChange}
              data-testid={`partner-${kind}-${f.name}`}
            />
          );
        })}
      </div>
      {exists ? (
        <div className="notice notice-info" role="alert" data-testid="partner-exists">
          <p className="notice-title">
            {t('ops.partners.alreadyExists', { id: existing?.id ?? t(`admin.partners.kind.${kind}`) })}
          </p>
          {existing ? (
            <>
              <p>{t('ops.partners.alreadyHint')}</p>
              <p>
                <Link to={existing.to} data-testid="partner-exists-link">
                  {t('ops.partners.seeInList', { id: existing.id })}
                </Link>
              </p>
            </>
          ) : null}
        </div>
      ) : (
        <ErrorNotice error={create.error} />
      )}
      <button type="submit" disabled={create.busy} data-testid={`partner-${kind}-submit`}>
        {t(`admin.partners.create.${kind}`)}
      </button>
    </form>
  );
}
