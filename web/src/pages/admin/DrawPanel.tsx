import { type FormEvent, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { ApiError, api, type DrawResult, type Round } from '../../lib/api';
import { useEndSessionOn401, useKeptDraft } from '../../lib/end-session';
import { formatNumber } from '../../lib/format';
import { useAction, useAsync } from '../../lib/use-async';

function randomSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const freshSeed = () => ({ seed: randomSeed() });

/**
 * A round's draw: its published result, or (once registration closed) the form to run it with a
 * seed. The seed shown is kept (a draft) until the draw has run, through an expired session too.
 */
export function DrawPanel({ round, token }: { round: Round; token: string }) {
  const { t } = useTranslation();
  const uid = useId();
  const seedDraft = useKeptDraft('admin', `draw-seed-${round.id}`, freshSeed);
  const seed = seedDraft.value.seed;
  const setSeed = (value: string) => seedDraft.set(() => ({ seed: value }));
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
    seedDraft.clear();
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
