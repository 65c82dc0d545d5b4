import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { ApiError, api, type Round } from '../../lib/api';
import { useEndSessionOn401, useKeptDraft } from '../../lib/end-session';
import { taipeiLocalToIso } from '../../lib/format';
import { runtimeKey } from '../../lib/message-key';
import { useAction } from '../../lib/use-async';

const EMPTY = {
  name: '',
  registrationOpensAt: '',
  registrationClosesAt: '',
  paymentOpensAt: '',
  paymentClosesAt: '',
  pickupStartsOn: '',
  pickupEndsOn: '',
  supplyPacks: '',
};
type FormName = keyof typeof EMPTY;
const emptyForm = () => EMPTY;

/** The problems the API names (src/rules/rounds.ts windowProblems), said in the screen's language. */
const WINDOW_PROBLEMS = ['registrationClosesAt', 'paymentOpensAt', 'paymentClosesAt', 'pickupEndsOn'];

/**
 * The form's fields the API's answer marks (`error.fields: [{field: 'body/…', problem?, after?}]`),
 * each with its own words: the window rule it breaks, a time that is not a time, or the API's words.
 */
function fieldProblems(error: unknown, t: (key: string) => string): Partial<Record<FormName, string>> {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return {};
  const fields = Array.isArray(error.details.fields)
    ? (error.details.fields as { field?: string; problem?: string }[])
    : [];
  const marked: Partial<Record<FormName, string>> = {};
  for (const f of fields) {
    const name = (f.field ?? '').replace(/^body\//, '');
    if (!(name in EMPTY)) continue;
    const own = WINDOW_PROBLEMS.includes(name) && f.problem ? t(`ops.rounds.problem.${name}`) : null;
    marked[name as FormName] = own ?? (f.problem ? f.problem : t('ops.rounds.invalidTime'));
  }
  return marked;
}

/**
 * A new round: its name, timeline (Taipei time) and the packs it supplies (POST /api/v1/admin/rounds).
 * What is typed is kept through an expired session (a draft); a refusal marks the fields it names.
 */
export function CreateRound({ token, onCreated }: { token: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const draft = useKeptDraft('admin', 'create-round', emptyForm);
  const form = draft.value;
  const [openAtFirst] = useState(() => Object.values(form).some((v) => v !== ''));
  const [created, setCreated] = useState<Round | null>(null);
  const set = (name: FormName) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    draft.set((f) => ({ ...f, [name]: value }));
  };
  const create = useAction(async () => {
    const round = await api.post<Round>(
      '/api/v1/admin/rounds',
      {
        name: form.name.trim(),
        registrationOpensAt: taipeiLocalToIso(form.registrationOpensAt),
        registrationClosesAt: taipeiLocalToIso(form.registrationClosesAt),
        paymentOpensAt: taipeiLocalToIso(form.paymentOpensAt),
        paymentClosesAt: taipeiLocalToIso(form.paymentClosesAt),
        pickupStartsOn: form.pickupStartsOn,
        pickupEndsOn: form.pickupEndsOn,
        supplyPacks: Number(form.supplyPacks),
      },
      { token },
    );
    setCreated(round);
    draft.clear();
    onCreated();
  });
  useEndSessionOn401('admin', create.error);
  const problems = fieldProblems(create.error, (key) => t(runtimeKey(key)));
  const invalid = Object.keys(problems).length > 0;
  const fields: { name: FormName; type: string; min?: number }[] = [
    { name: 'name', type: 'text' },
    { name: 'registrationOpensAt', type: 'datetime-local' },
    { name: 'registrationClosesAt', type: 'datetime-local' },
    { name: 'paymentOpensAt', type: 'datetime-local' },
    { name: 'paymentClosesAt', type: 'datetime-local' },
    { name: 'pickupStartsOn', type: 'date' },
    { name: 'pickupEndsOn', type: 'date' },
    { name: 'supplyPacks', type: 'number', min: 1 },
  ];
  return (
    <details className="panel" open={openAtFirst}>
      <summary>
        <h2 className="inline-heading">{t('admin.rounds.create')}</h2>
      </summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(null);
          void create.run();
        }}
        data-testid="create-round"
      >
        <p className="hint">{t('admin.rounds.createHint')}</p>
        <div className="field-grid">
          {fields.map((f) => (
            <TextField
              key={f.name}
              id={`${uid}-${f.name}`}
              label={t(`admin.rounds.${f.name}`)}
              type={f.type}
              min={f.min}
              required
              value={form[f.name]}
              onChange={set(f.name)}
              error={problems[f.name] ?? null}
              data-testid={`round-${f.name}`}
            />
          ))}
        </div>
        {invalid && create.error instanceof ApiError ? (
          <div className="notice notice-error" role="alert" data-testid="round-invalid">
            <p className="notice-title">{t('ops.rounds.invalid')}</p>
            <p>
              {t('ops.rounds.apiSaid')} <span lang="en">{create.error.message}</span>
            </p>
          </div>
        ) : (
          <ErrorNotice error={create.error} />
        )}
        {created ? (
          <SuccessNotice>{t('admin.rounds.created', { id: created.id, name: created.name })}</SuccessNotice>
        ) : null}
        <button type="submit" disabled={create.busy}>
          {t('admin.rounds.createSubmit')}
        </button>
      </form>
    </details>
  );
}
