import { useTranslation } from 'react-i18next';
import type { Round, RoundState } from '../lib/api';
import { formatDate, formatDateTime } from '../lib/format';
import type { MessageKey } from '../lib/message-key';

const PHASES: { state: RoundState; key: MessageKey }[] = [
  { state: 'registration', key: 'timeline.registration' },
  { state: 'drawing', key: 'timeline.drawing' },
  { state: 'payment', key: 'timeline.payment' },
  { state: 'pickup', key: 'timeline.pickup' },
];

const ORDER: RoundState[] = ['upcoming', 'registration', 'drawing', 'payment', 'pickup', 'closed'];

/** SPEC §5: registration → draw → payment → pickup, with the current phase marked. */
export function RoundTimeline({ round }: { round: Round }) {
  const { t } = useTranslation();
  const currentIndex = ORDER.indexOf(round.state);
  const when: Record<string, string> = {
    registration: `${formatDateTime(round.registrationOpensAt)} – ${formatDateTime(round.registrationClosesAt)}`,
    drawing: `${formatDateTime(round.registrationClosesAt)} – ${formatDateTime(round.paymentOpensAt)}`,
    payment: `${formatDateTime(round.paymentOpensAt)} – ${formatDateTime(round.paymentClosesAt)}`,
    pickup: `${formatDate(round.pickupStartsOn)} – ${formatDate(round.pickupEndsOn)}`,
  };
  return (
    <ol className="timeline" aria-label={t('timeline.label', { name: round.name })}>
      {PHASES.map((phase) => {
        const index = ORDER.indexOf(phase.state);
        const status = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'future';
        return (
          <li
            key={phase.state}
            className={`timeline-step ${status}`}
            aria-current={status === 'current' ? 'step' : undefined}
          >
            <span className="timeline-name">{t(phase.key)}</span>
            <span className="timeline-when">{when[phase.state]}</span>
            {status === 'current' ? <span className="timeline-now">{t('timeline.now')}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}

export function RoundStateBadge({ state }: { state: RoundState }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${state}`}>{t(`roundState.${state}`)}</span>;
}
