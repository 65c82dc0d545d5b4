import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RoundStateBadge, RoundTimeline } from '../../components/RoundTimeline';
import { api, type Round } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import { useAsync } from '../../lib/use-async';
import { CreateRound } from './CreateRound';
import { DrawPanel } from './DrawPanel';

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
