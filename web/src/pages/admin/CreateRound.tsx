import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api, type Round } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { taipeiLocalToIso } from '../../lib/format';
import { useAction } from '../../lib/use-async';

/** A new round: its name, timeline (Taipei time) and the packs it supplies (POST /api/v1/admin/rounds). */
export function CreateRound({ token, onCreated }: { token: string; onCreated: () => void }) {
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
