import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { bindThisDevice } from '../../lib/bind-device';
import { useDemo } from '../../lib/demo';
import { useDemoNote } from '../../lib/demo-note';
import { useAction } from '../../lib/use-async';

/** Binds this browser by the phone check: phone number, national ID, card's last four digits and a password. */
export function PhoneAuth() {
  const { t } = useTranslation();
  const uid = useId();
  const demo = useDemo();
  const note = useDemoNote();
  const [phone, setPhone] = useState('');
  const [nationalId, setNationalId] = useState('');
  const [cardLast4, setCardLast4] = useState('');
  const [password, setPassword] = useState('');
  const people = demo.status === 'on' ? demo.data.cards.filter((c) => c.phone && c.nationalId) : [];
  const auth = useAction(() =>
    bindThisDevice((devicePublicKeyPem) =>
      api.post<{ deviceId: string | number; token: string }>('/api/v1/auth/phone', {
        phone: phone.trim(),
        nationalId: nationalId.trim().toUpperCase(),
        cardLast4: cardLast4.trim(),
        password,
        devicePublicKeyPem,
      }),
    ),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void auth.run();
  };
  const fillDemo = (cardNo: string) => {
    const person = people.find((p) => p.cardNo === cardNo);
    if (!person) return;
    setPhone(person.phone ?? '');
    setNationalId(person.nationalId ?? '');
    setCardLast4(person.cardNo.slice(-4));
  };
  return (
    <form onSubmit={onSubmit} data-testid="phone-auth">
      <p className="hint">{t('app.phoneIntro')}</p>
      {people.length > 0 ? (
        <SelectField
          id={`${uid}-demo`}
          label={t('app.demoPerson')}
          fieldClassName="sim-box"
          defaultValue=""
          onChange={(e) => fillDemo(e.target.value)}
          data-testid="app-demo-person"
        >
          <option value="">{t('reader.choosePlaceholder')}</option>
          {people.map((p) => (
            <option key={p.cardNo} value={p.cardNo}>
              {p.name} · {p.phone}
              {note(p) ? ` · ${note(p)}` : ''}
            </option>
          ))}
        </SelectField>
      ) : null}
      <TextField
        id={`${uid}-phone`}
        label={t('app.phone')}
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        pattern="09[0-9]{8}"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        data-testid="app-phone"
      />
      <TextField
        id={`${uid}-id`}
        label={t('app.nationalId')}
        autoComplete="off"
        required
        maxLength={10}
        value={nationalId}
        onChange={(e) => setNationalId(e.target.value)}
        data-testid="app-national-id"
      />
      <TextField
        id={`${uid}-last4`}
        label={t('app.cardLast4')}
        inputMode="numeric"
        autoComplete="off"
        required
        pattern="[0-9]{4}"
        maxLength={4}
        value={cardLast4}
        onChange={(e) => setCardLast4(e.target.value)}
        data-testid="app-card-last4"
      />
      <TextField
        id={`${uid}-password`}
        label={t('app.password')}
        hint={t('app.passwordHint')}
        type="password"
        autoComplete="new-password"
        required
        minLength={6}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="app-password"
      />
      <ErrorNotice error={auth.error} />
      <button type="submit" className="block" disabled={auth.busy} data-testid="app-phone-submit">
        {t('app.phoneSubmit')}
      </button>
    </form>
  );
}
