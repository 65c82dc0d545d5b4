import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardReader, type InsertedCard } from '../../components/CardReader';
import { ErrorNotice, SuccessNotice } from '../../components/ErrorNotice';
import { api, newChallenge } from '../../lib/api';
import { importPrivateKey, signNonce } from '../../lib/crypto';
import { useDemo } from '../../lib/demo';
import { setSession } from '../../lib/session';
import { onTabListKeyDown } from '../../lib/tabs';
import { useAction } from '../../lib/use-async';

interface LoginAnswer {
  token: string;
  person?: { name?: string; nationalIdMasked?: string };
}

/** Sign in on the eMask site: NHI card + registration password, or a citizen digital certificate. */
export function SignIn() {
  const { t } = useTranslation();
  const [method, setMethod] = useState<'card' | 'certificate'>('card');
  return (
    <section className="panel signin" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      <div className="tabs" role="tablist" onKeyDown={onTabListKeyDown} aria-label={t('signin.methods')}>
        <button
          type="button"
          role="tab"
          id="tab-card"
          aria-selected={method === 'card'}
          tabIndex={method === 'card' ? 0 : -1}
          aria-controls="panel-card"
          onClick={() => setMethod('card')}
        >
          {t('signin.card')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-certificate"
          aria-selected={method === 'certificate'}
          tabIndex={method === 'certificate' ? 0 : -1}
          aria-controls="panel-certificate"
          onClick={() => setMethod('certificate')}
          data-testid="tab-certificate"
        >
          {t('signin.certificate')}
        </button>
      </div>
      {method === 'card' ? (
        <div role="tabpanel" id="panel-card" aria-labelledby="tab-card">
          <CardSignIn />
        </div>
      ) : (
        <div role="tabpanel" id="panel-certificate" aria-labelledby="tab-certificate">
          <CertificateSignIn />
        </div>
      )}
    </section>
  );
}

function CardSignIn() {
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
    const answer = await api.post<LoginAnswer>('/api/v1/auth/nhi-card/login', await signedBody(inserted));
    setSession('citizen', {
      token: answer.token,
      name: answer.person?.name ?? inserted.holder ?? '',
      nationalIdMasked: answer.person?.nationalIdMasked ?? '',
      method: 'card',
    });
  };

  const action = useAction(async () => {
    if (!card) return;
    if (mode === 'register') {
      await api.post('/api/v1/auth/nhi-card/register', await signedBody(card));
      setRegistered(true);
    }
    await login(card);
  });

  const mismatch = mode === 'register' && confirm !== '' && confirm !== password;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    void action.run();
  };

  return (
    <form onSubmit={onSubmit} data-testid="card-signin">
      <p className="hint">{t('signin.cardIntro')}</p>
      <CardReader card={card} onChange={setCard} idPrefix="signin" />
      <fieldset className="radio-row">
        <legend>{t('signin.modeLegend')}</legend>
        <label>
          <input
            type="radio"
            name={`${uid}-mode`}
            checked={mode === 'login'}
            onChange={() => setMode('login')}
          />
          {t('signin.modeLogin')}
        </label>
        <label>
          <input
            type="radio"
            name={`${uid}-mode`}
            checked={mode === 'register'}
            onChange={() => setMode('register')}
            data-testid="mode-register"
          />
          {t('signin.modeRegister')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${uid}-password`}>{t('signin.password')}</label>
        <input
          id={`${uid}-password`}
          type="password"
          autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          required
          minLength={mode === 'register' ? 6 : 1}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="signin-password"
        />
      </div>
      {mode === 'register' ? (
        <div className="field">
          <label htmlFor={`${uid}-confirm`}>{t('signin.confirm')}</label>
          <input
            id={`${uid}-confirm`}
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            aria-invalid={mismatch}
            aria-describedby={mismatch ? `${uid}-mismatch` : undefined}
            data-testid="signin-confirm"
          />
          {mismatch ? (
            <small id={`${uid}-mismatch`} className="field-error">
              {t('signin.mismatch')}
            </small>
          ) : null}
        </div>
      ) : null}
      {registered ? <SuccessNotice>{t('signin.registered')}</SuccessNotice> : null}
      <ErrorNotice error={action.error} />
      <button type="submit" disabled={!card || action.busy || mismatch} data-testid="signin-submit">
        {mode === 'register' ? t('signin.registerAndLogin') : t('signin.login')}
      </button>
    </form>
  );
}

interface HeldCertificate {
  certificatePem: string;
  privateKeyPem: string;
  nationalId: string;
}

function CertificateSignIn() {
  const { t } = useTranslation();
  const uid = useId();
  const demo = useDemo();
  const [nationalId, setNationalId] = useState('');
  const [held, setHeld] = useState<HeldCertificate | null>(null);
  const [certPem, setCertPem] = useState('');
  const [keyPem, setKeyPem] = useState('');
  const people = demo.status === 'on' ? demo.data.cards.filter((c) => c.nationalId) : [];

  const issue = useAction(async () => {
    const id = nationalId.trim().toUpperCase();
    const answer = await api.post<{ certificatePem: string; privateKeyPem: string }>(
      '/api/v1/sim/moica/certificates',
      { nationalId: id },
    );
    setHeld({ ...answer, nationalId: id });
  });

  const login = useAction(async () => {
    const certificate = held ?? {
      certificatePem: certPem,
      privateKeyPem: keyPem,
      nationalId: nationalId.trim().toUpperCase(),
    };
    const key = await importPrivateKey(certificate.privateKeyPem);
    const challenge = await newChallenge();
    const answer = await api.post<LoginAnswer>('/api/v1/auth/certificate/login', {
      certificatePem: certificate.certificatePem,
      challengeId: challenge.challengeId,
      signature: await signNonce(key, challenge.nonce),
      nationalId: certificate.nationalId,
    });
    setSession('citizen', {
      token: answer.token,
      name: answer.person?.name ?? '',
      nationalIdMasked: answer.person?.nationalIdMasked ?? '',
      method: 'certificate',
    });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void login.run();
  };
  const canLogin =
    held !== null || (certPem.includes('CERTIFICATE') && keyPem.includes('PRIVATE KEY') && nationalId !== '');

  return (
    <form onSubmit={onSubmit} data-testid="certificate-signin">
      <p className="hint">{t('signin.certificateIntro')}</p>
      <div className="field">
        <label htmlFor={`${uid}-id`}>{t('signin.nationalId')}</label>
        <input
          id={`${uid}-id`}
          autoComplete="off"
          value={nationalId}
          onChange={(e) => {
            setNationalId(e.target.value);
            setHeld(null);
          }}
          list={people.length > 0 ? `${uid}-people` : undefined}
          data-testid="certificate-national-id"
        />
        {people.length > 0 ? (
          <datalist id={`${uid}-people`}>
            {people.map((p) => (
              <option key={p.cardNo} value={p.nationalId ?? ''}>
                {p.name}
              </option>
            ))}
          </datalist>
        ) : null}
      </div>
      {held ? (
        <p className="card-reader inserted" data-testid="certificate-held">
          <span className="reader-light" aria-hidden="true" />
          {t('signin.certificateHeld', { id: held.nationalId })}
        </p>
      ) : demo.status === 'on' ? (
        <button
          type="button"
          className="secondary"
          onClick={() => void issue.run()}
          disabled={!nationalId || issue.busy}
          data-testid="certificate-issue"
        >
          {t('signin.certificateIssue')}
        </button>
      ) : null}
      <ErrorNotice error={issue.error} />
      {held ? null : (
        <details className="manual-card">
          <summary>{t('signin.certificateManual')}</summary>
          <div className="field">
            <label htmlFor={`${uid}-cert`}>{t('signin.certificatePem')}</label>
            <textarea
              id={`${uid}-cert`}
              rows={4}
              spellCheck={false}
              value={certPem}
              onChange={(e) => setCertPem(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${uid}-key`}>{t('signin.certificateKey')}</label>
            <textarea
              id={`${uid}-key`}
              rows={4}
              spellCheck={false}
              value={keyPem}
              onChange={(e) => setKeyPem(e.target.value)}
            />
          </div>
        </details>
      )}
      <ErrorNotice error={login.error} />
      <button type="submit" disabled={!canLogin || login.busy} data-testid="certificate-login">
        {t('signin.login')}
      </button>
    </form>
  );
}
