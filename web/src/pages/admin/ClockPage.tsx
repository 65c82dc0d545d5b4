import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { refreshClock, useSimClock } from '../../lib/demo';
import { formatDateTime, isoToTaipeiLocal, taipeiLocalToIso } from '../../lib/format';
import { useAction } from '../../lib/use-async';

/** Moments of the seeds' timeline (SPEC §5), to jump the demo clock to. */
const PRESETS = [
  { key: 'r1Open', at: '2020-03-12T09:00' },
  { key: 'r1Closed', at: '2020-03-18T20:30' },
  { key: 'r1Payment', at: '2020-03-19T10:00' },
  { key: 'r1Pickup', at: '2020-03-26T10:00' },
  { key: 'r2Open', at: '2020-03-25T08:00' },
  { key: 'r2Payment', at: '2020-03-28T08:30' },
  { key: 'r2Pickup', at: '2020-04-02T10:00' },
] as const;

export function ClockPage() {
  const { t } = useTranslation();
  const uid = useId();
  const clock = useSimClock();
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const set = useAction(async (local: string) => {
    const answer = await api.put<{ now: string }>('/api/v1/sim/clock', { now: taipeiLocalToIso(local) });
    setSaved(answer.now);
    refreshClock();
  });
  if (!clock.manual) {
    return (
      <section className="panel">
        <h2>{t('admin.clock.title')}</h2>
        <p>{t('admin.clock.real')}</p>
      </section>
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void set.run(value);
  };
  return (
    <section className="panel" aria-labelledby="clock-title">
      <h2 id="clock-title">{t('admin.clock.title')}</h2>
      <p data-testid="clock-now">
        {t('admin.clock.now', { now: clock.now ? formatDateTime(clock.now) : '—' })}
      </p>
      <p className="hint">{t('admin.clock.hint')}</p>
      <form onSubmit={onSubmit} className="field-row">
        <TextField
          id={`${uid}-at`}
          label={t('admin.clock.setTo')}
          fieldClassName="grow"
          type="datetime-local"
          required
          value={value || (clock.now ? isoToTaipeiLocal(clock.now) : '')}
          onChange={(e) => setValue(e.target.value)}
          data-testid="clock-input"
        />
        <button type="submit" disabled={set.busy} data-testid="clock-set">
          {t('admin.clock.set')}
        </button>
      </form>
      <h3>{t('admin.clock.presets')}</h3>
      <ul className="preset-list">
        {PRESETS.map((p) => (
          <li key={p.key}>
            <button type="button" className="secondary small" onClick={() => void set.run(p.at)}>
              {t(`admin.clock.preset.${p.key}`)}
            </button>
          </li>
        ))}
      </ul>
      <ErrorNotice error={set.error} />
      {saved ? <SuccessNotice>{t('admin.clock.saved', { now: formatDateTime(saved) })}</SuccessNotice> : null}
    </section>
  );
}
