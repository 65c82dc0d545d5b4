import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardReader, type InsertedCard } from '../../components/CardReader';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api, newChallenge } from '../../lib/api';
import { type CitizenLoginAnswer, startCitizenSession } from '../../lib/citizen-login';
import { useAction } from '../../lib/use-async';

/** Sign in with the NHI card in the reader and the registration password; or register the password first. */
export function CardSignIn() {
  const { t } = useTranslation();
  const uid = useId();
  const [card, setCard] = useState<InsertedCard | null>(null);
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [registered, setRegistered] = useState(false);

  const signedBody = async (inserted: InsertedCard) => {
    const challenge = await newChallenge();
    return {
      cardNo: inserted.cardNo,
      challengeId: challenge.challengeId,
      signature: await inserted.sign(challenge.nonce),
      password,
    };
  };

  const login = async (inserted: InsertedCard) => {
    const answer = await api.post<CitizenLoginAnswer>(
      '/api/v1/auth/nhi-card/login',
      await signedBody(inserted),
    );
    startCitizenSession(answer, 'card', inserted.holder ?? '');
  };

  const action = useAction(async () => {
    if (!card) return;
    if (mode === 'register') {
      await api.post('/api/v1/auth/nhi-card/register', await signedBody(card));
      setRegistered(true);
    }
    await login(card);
  });

  // A refusal answers what was tried: another mode or another card is a new attempt.
  const changeMode = (next: 'login' | 'register') => {
    setMode(next);
    action.setError(undefined);
  };
  const changeCard = (next: InsertedCard | null) => {
    setCard(next);
    action.setError(undefined);
  };

  const mismatch = mode === 'register' && confirm !== '' && confirm !== password;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    void action.run();
  };

  return (
    <form onSubmit={onSubmit} data-testid="card-signin">
      <p className="hint">{t('signin.cardIntro')}</p>
      <CardReader card={card} onChange={changeCard} idPrefix="signin" />
      <fieldset className="radio-row">
        <legend>{t('signin.modeLegend')}</legend>
        <label>
          <input
            type="radio"
            name={`${uid}-mode`}
            checked={mode === 'login'}
            onChange={() => changeMode('login')}
          />
          {t('signin.modeLogin')}
        </label>
        <label>
          <input
            type="radio"
            name={`${uid}-mode`}
            checked={mode === 'register'}
            onChange={() => changeMode('register')}
            data-testid="mode-register"
          />
          {t('signin.modeRegister')}
        </label>
      </fieldset>
      <TextField
        id={`${uid}-password`}
        label={t('signin.password')}
        type="password"
        autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
        required
        minLength={mode === 'register' ? 6 : 1}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="signin-password"
      />
      {mode === 'register' ? (
        <TextField
          id={`${uid}-confirm`}
          label={t('signin.confirm')}
          error={mismatch ? t('signin.mismatch') : null}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          data-testid="signin-confirm"
        />
      ) : null}
      {registered ? <SuccessNotice>{t('signin.registered')}</SuccessNotice> : null}
      <ErrorNotice error={action.error} />
      <button type="submit" disabled={!card || action.busy || mismatch} data-testid="signin-submit">
        {mode === 'register' ? t('signin.registerAndLogin') : t('signin.login')}
      </button>
    </form>
  );
}
