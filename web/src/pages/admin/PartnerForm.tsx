import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { runtimeKey } from '../../lib/message-key';
import { useAction } from '../../lib/use-async';
import type { Field, Kind } from './partner-fields';

/** Registers one partner and shows its API key (or card key) once. */
export function PartnerForm({
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
