import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextAreaField, TextField } from '../../components/TextField';
import { api, newChallenge } from '../../lib/api';
import { type CitizenLoginAnswer, startCitizenSession } from '../../lib/citizen-login';
import { importPrivateKey, signNonce } from '../../lib/crypto';
import { useDemo } from '../../lib/demo';
import { useAction } from '../../lib/use-async';

/** A citizen digital certificate (MOICA) held by the person, or issued by the simulated MOICA in the demo. */
interface HeldCertificate {
  certificatePem: string;
  privateKeyPem: string;
  nationalId: string;
}

/** Sign in with a citizen digital certificate: the certificate's key signs a challenge. */
export function CertificateSignIn() {
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
    const answer = await api.post<CitizenLoginAnswer>('/api/v1/auth/certificate/login', {
      certificatePem: certificate.certificatePem,
      challengeId: challenge.challengeId,
      signature: await signNonce(key, challenge.nonce),
      nationalId: certificate.nationalId,
    });
    startCitizenSession(answer, 'certificate');
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
      <TextField
        id={`${uid}-id`}
        label={t('signin.nationalId')}
        autoComplete="off"
        value={nationalId}
        onChange={(e) => {
          setNationalId(e.target.value);
          setHeld(null);
        }}
        list={people.length > 0 ? `${uid}-people` : undefined}
        data-testid="certificate-national-id"
        after={
          people.length > 0 ? (
            <datalist id={`${uid}-people`}>
              {people.map((p) => (
                <option key={p.cardNo} value={p.nationalId ?? ''}>
                  {p.name}
                </option>
              ))}
            </datalist>
          ) : null
        }
      />
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
          <TextAreaField
            id={`${uid}-cert`}
            label={t('signin.certificatePem')}
            rows={4}
            spellCheck={false}
            value={certPem}
            onChange={(e) => setCertPem(e.target.value)}
          />
          <TextAreaField
            id={`${uid}-key`}
            label={t('signin.certificateKey')}
            rows={4}
            spellCheck={false}
            value={keyPem}
            onChange={(e) => setKeyPem(e.target.value)}
          />
        </details>
      )}
      <ErrorNotice error={login.error} />
      <button type="submit" disabled={!canLogin || login.busy} data-testid="certificate-login">
        {t('signin.login')}
      </button>
    </form>
  );
}
