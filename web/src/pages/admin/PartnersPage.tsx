import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { runtimeKey } from '../../lib/message-key';
import { CHAINS, CITIES } from '../../lib/places';
import { onTabListKeyDown } from '../../lib/tabs';
import { useAction } from '../../lib/use-async';

type Kind = 'pharmacy' | 'store' | 'counter' | 'card';

interface Field {
  name: string;
  type?: string;
  required?: boolean;
  pattern?: string;
  options?: readonly { value: string; label: string }[];
}

/**
 * Partners: an operator registers a pharmacy, a store or an airport counter and receives its API
 * key, shown exactly once (the platform keeps only a hash). Cards are issued here too.
 */
export function PartnersPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<Kind>('pharmacy');
  const forms: Record<Kind, { path: string; fields: Field[] }> = {
    pharmacy: {
      path: '/api/v1/admin/pharmacies',
      fields: [
        { name: 'code', required: true, pattern: '[0-9A-Za-z]{10}' },
        { name: 'name', required: true },
        { name: 'address', required: true },
        { name: 'phone', required: true },
        { name: 'lat', type: 'number' },
        { name: 'lng', type: 'number' },
      ],
    },
    store: {
      path: '/api/v1/admin/stores',
      fields: [
        { name: 'chain', required: true, options: CHAINS.map((c) => ({ value: c, label: t(`chain.${c}`) })) },
        { name: 'storeNo', required: true },
        { name: 'name', required: true },
        { name: 'address', required: true },
        {
          name: 'city',
          required: true,
          options: CITIES.map((c) => ({ value: c.zh, label: i18n.language === 'en' ? c.en : c.zh })),
        },
        { name: 'district', required: true },
      ],
    },
    counter: { path: '/api/v1/admin/airport-counters', fields: [{ name: 'name', required: true }] },
    card: {
      path: '/api/v1/admin/cards',
      fields: [
        { name: 'nationalId', required: true },
        { name: 'name', required: true },
        { name: 'birthDate', type: 'date', required: true },
        {
          name: 'nationality',
          required: true,
          options: [
            { value: 'TW', label: t('admin.partners.nationalityTW') },
            { value: 'foreign', label: t('admin.partners.nationalityForeign') },
          ],
        },
        { name: 'arcNumber' },
      ],
    },
  };
  const kinds: Kind[] = ['pharmacy', 'store', 'counter', 'card'];
  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t('admin.partners.title')}</h2>
      <div
        className="tabs"
        role="tablist"
        onKeyDown={onTabListKeyDown}
        aria-label={t('admin.partners.kinds')}
      >
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`partner-tab-${k}`}
            aria-selected={kind === k}
            tabIndex={kind === k ? 0 : -1}
            aria-controls="partner-panel"
            onClick={() => setKind(k)}
          >
            {t(`admin.partners.kind.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="partner-panel" aria-labelledby={`partner-tab-${kind}`}>
        <PartnerForm key={kind} kind={kind} token={token} {...forms[kind]} />
      </div>
    </section>
  );
}

function PartnerForm({
  kind,
  token,
  path,
  fields,
}: {
  kind: Kind;
  token: string;
  path: string;
  fields: Field[];
}) {
  const { t } = useTranslation();
  const uid = useId();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.options?.[0]?.value ?? ''])),
  );
  const [created, setCreated] = useState<Record<string, unknown> | null>(null);
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
    setCreated(await api.post<Record<string, unknown>>(path, body, { token }));
  });
  useEndSessionOn401('admin', create.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    void create.run();
  };
  const secret = created ? String(created.apiKey ?? created.privateKeyPem ?? '') : '';
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
      <ErrorNotice error={create.error} />
      <button type="submit" disabled={create.busy} data-testid={`partner-${kind}-submit`}>
        {t(`admin.partners.create.${kind}`)}
      </button>
      {created ? (
        <div className="notice notice-success key-once" role="status" data-testid="partner-created">
          <p className="notice-title">
            {t('admin.partners.created', {
              id: String(created.code ?? created.id ?? created.cardNo ?? ''),
            })}
          </p>
          <p>{t(kind === 'card' ? 'admin.partners.keyOnceCard' : 'admin.partners.keyOnce')}</p>
          <textarea
            readOnly
            rows={kind === 'card' ? 5 : 2}
            value={secret}
            aria-label={t('admin.partners.secret')}
            data-testid="partner-secret"
          />
          <button
            type="button"
            className="secondary small"
            onClick={() => void navigator.clipboard?.writeText(secret)}
          >
            {t('admin.partners.copy')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
