import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { RoundStateBadge, RoundTimeline } from '../../components/RoundTimeline';
import { TextField } from '../../components/TextField';
import { ApiError, api, type DrawResult, type Round } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { formatNumber, taipeiLocalToIso } from '../../lib/format';
import { useAction, useAsync } from '../../lib/use-async';

function randomSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Rounds: create one, follow its timeline, run the draw with a published seed, see the result. */
export function RoundsAdmin({ token }: { token: string }) {
  const { t } = useTranslation();
  const rounds = useAsync((signal) => api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }), []);
  const list = [...(rounds.data?.rounds ?? [])].reverse();
  return (
    <div className="admin-rounds">
      <CreateRound token={token} onCreated={rounds.reload} />
      <section aria-labelledby="admin-rounds-title">
        <h2 id="admin-rounds-title">{t('admin.rounds.title')}</h2>
        <ErrorNotice error={rounds.error} />
        {list.map((round) => (
          <article key={round.id} className="panel round" data-testid={`admin-round-${round.id}`}>
            <header className="round-header">
              <h3>
                #{round.id} {round.name}
              </h3>
              <RoundStateBadge state={round.state} />
            </header>
            <p className="hint">{t('rounds.supply', { packs: formatNumber(round.supplyPacks) })}</p>
            <RoundTimeline round={round} />
            <DrawPanel round={round} token={token} />
          </article>
        ))}
      </section>
    </div>
  );
}

function DrawPanel({ round, token }: { round: Round; token: string }) {
  const { t } = useTranslation();
  const uid = useId();
  const [seed, setSeed] = useState(randomSeed);
  const published = useAsync(
    (signal) =>
      api.get<DrawResult>(`/api/v1/rounds/${round.id}/draw`, { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [round.id],
  );
  const draw = useAction(async () => {
    await api.post<DrawResult>(`/api/v1/admin/rounds/${round.id}/draw`, { seed: seed.trim() }, { token });
    published.reload();
  });
  useEndSessionOn401('admin', draw.error);
  const result = published.data;
  if (result) {
    return (
      <div className="draw-result" data-testid={`draw-result-${round.id}`}>
        <h4>{t('admin.rounds.drawResult')}</h4>
        <dl className="facts">
          <dt>{t('admin.rounds.orders')}</dt>
          <dd data-testid="draw-orders">{formatNumber(result.orders)}</dd>
          <dt>{t('admin.rounds.selected')}</dt>
          <dd data-testid="draw-selected">{formatNumber(result.selected)}</dd>
          <dt>{t('admin.rounds.seed')}</dt>
          <dd>
            <code className="wrap">{result.seed}</code>
          </dd>
          <dt>{t('admin.rounds.algorithm')}</dt>
          <dd>
            <code className="wrap">{result.algorithm}</code>
          </dd>
        </dl>
        <p>
          <a href={`/api/v1/rounds/${round.id}/draw`}>{t('admin.rounds.publicRecord')}</a>
        </p>
      </div>
    );
  }
  if (round.state === 'upcoming' || round.state === 'registration') {
    return <p className="hint">{t('admin.rounds.drawLater')}</p>;
  }
  return (
    <form
      className="draw-form"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void draw.run();
      }}
    >
      <div className="field-row">
        <TextField
          id={`${uid}-seed`}
          label={t('admin.rounds.seed')}
          hint={t('admin.rounds.seedHint')}
          fieldClassName="grow"
          required
          pattern="[0-9a-fA-F]+"
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
          data-testid={`draw-seed-${round.id}`}
        />
        <button type="button" className="secondary" onClick={() => setSeed(randomSeed())}>
          {t('admin.rounds.newSeed')}
        </button>
      </div>
      <ErrorNotice error={draw.error ?? published.error} />
      <button type="submit" disabled={draw.busy} data-testid={`draw-run-${round.id}`}>
        {t('admin.rounds.runDraw')}
      </button>
    </form>
  );
}

function CreateRound({ token, onCreated }: { token: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const [form, setForm] = useState({
    name: '',
    registrationOpensAt: '',
    registrationClosesAt: '',
    paymentOpensAt: '',
    paymentClosesAt: '',
    pickupStartsOn: '',
    pickupEndsOn: '',
    supplyPacks: '',
  });
  const [created, setCreated] = useState<Round | null>(null);
  const set = (name: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
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
    onCreated();
  });
  useEndSessionOn401('admin', create.error);
  const fields: { name: keyof typeof form; type: string }[] = [
    { name: 'registrationOpensAt', type: 'datetime-local' },
    { name: 'registrationClosesAt', type: 'datetime-local' },
    { name: 'paymentOpensAt', type: 'datetime-local' },
    { name: 'paymentClosesAt', type: 'datetime-local' },
    { name: 'pickupStartsOn', type: 'date' },
    { name: 'pickupEndsOn', type: 'date' },
  ];
  return (
    <details className="panel">
      <summary>
        <h2 className="inline-heading">{t('admin.rounds.create')}</h2>
      </summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
        data-testid="create-round"
      >
        <p className="hint">{t('admin.rounds.createHint')}</p>
        <div className="field-grid">
          <TextField
            id={`${uid}-name`}
            label={t('admin.rounds.name')}
            required
            value={form.name}
            onChange={set('name')}
          />
          {fields.map((f) => (
            <TextField
              key={f.name}
              id={`${uid}-${f.name}`}
              label={t(`admin.rounds.${f.name}`)}
              type={f.type}
              required
              value={form[f.name]}
              onChange={set(f.name)}
            />
          ))}
          <TextField
            id={`${uid}-supply`}
            label={t('admin.rounds.supplyPacks')}
            type="number"
            min={1}
            required
            value={form.supplyPacks}
            onChange={set('supplyPacks')}
          />
        </div>
        <ErrorNotice error={create.error} />
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
