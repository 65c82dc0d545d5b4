import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RoundStateBadge, RoundTimeline } from '../../components/RoundTimeline';
import { api, type Round } from '../../lib/api';
import { formatNumber } from '../../lib/format';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';

/** The open (and past) pre-order rounds with their timelines. */
export function RoundsPage({ orderBase = '/emask/rounds' }: { orderBase?: string }) {
  const { t } = useTranslation();
  const session = useSession('citizen');
  const rounds = useAsync((signal) => api.get<{ rounds: Round[] }>('/api/v1/rounds', { signal }), []);
  const list = [...(rounds.data?.rounds ?? [])].reverse();
  return (
    <section aria-labelledby="rounds-title">
      <h2 id="rounds-title">{t('rounds.title')}</h2>
      <ErrorNotice error={rounds.error} />
      {rounds.loading ? <p className="hint">{t('common.loading')}</p> : null}
      {!rounds.loading && list.length === 0 ? <p className="hint">{t('rounds.none')}</p> : null}
      {list.map((round) => (
        <article key={round.id} className="panel round" data-testid={`round-${round.id}`}>
          <header className="round-header">
            <h3>{round.name}</h3>
            <RoundStateBadge state={round.state} />
          </header>
          <p className="hint">{t('rounds.supply', { packs: formatNumber(round.supplyPacks) })}</p>
          <RoundTimeline round={round} />
          {round.state === 'registration' ? (
            <Link
              to={session ? `${orderBase}/${round.id}/order` : '/emask'}
              className="button"
              data-testid={`order-round-${round.id}`}
            >
              {session ? t('rounds.order') : t('rounds.signInToOrder')}
            </Link>
          ) : null}
        </article>
      ))}
    </section>
  );
}
