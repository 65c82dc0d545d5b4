import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../components/ErrorNotice';
import { PageTitle } from '../components/Layout';
import { TextField } from '../components/TextField';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/use-async';

/** `POST /api/v1/messages/verify` (API.md v1.1 "Message verification"). */
type Verdict =
  | { genuine: true; channel: 'email' | 'sms'; sentAt: string; summary: string }
  | { genuine: false };

/**
 * 查證訊息 (SPEC §8, seeds [ORD 22.1]): every e-mail and SMS of the platform carries a reference
 * (查證碼) and links this page (`https://emask.taiwan.gov.tw/verify`). The person pastes it with
 * the phone number or e-mail address the message came to and gets a plain answer: sent by the
 * platform (channel, time, what it was), or a warning and what to do. The page itself says what
 * the platform never does and gives the 165 anti-fraud hotline.
 */
export default function VerifyPage() {
  const { t } = useTranslation();
  const uid = useId();
  const [reference, setReference] = useState('');
  const [recipient, setRecipient] = useState('');
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const check = useAction(async () => {
    setVerdict(
      await api.post<Verdict>('/api/v1/messages/verify', {
        reference: reference.trim(),
        recipient: recipient.trim(),
      }),
    );
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setVerdict(null);
    void check.run();
  };
  return (
    <section data-testid="verify-page">
      <PageTitle title={t('verify.title')} intro={t('verify.intro')} />
      <div className="panel narrow">
        <form onSubmit={onSubmit} data-testid="verify-form" aria-describedby={`${uid}-never`}>
          <TextField
            id={`${uid}-reference`}
            label={t('verify.reference')}
            hint={t('verify.referenceHint')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            maxLength={80}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            data-testid="verify-reference"
          />
          <TextField
            id={`${uid}-recipient`}
            label={t('verify.recipient')}
            hint={t('verify.recipientHint')}
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={320}
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            data-testid="verify-recipient"
          />
          <button type="submit" disabled={check.busy} data-testid="verify-submit">
            {t('verify.submit')}
          </button>
        </form>
        <ErrorNotice error={check.error} />
        <div aria-live="polite" aria-atomic="true" data-testid="verify-result">
          {verdict?.genuine === true ? (
            <div className="notice notice-success" data-testid="verify-genuine">
              <p className="notice-title">{t('verify.genuine.title')}</p>
              <dl className="facts">
                <dt>{t('verify.genuine.channel')}</dt>
                <dd data-testid="verify-channel">{t(`verify.channel.${verdict.channel}`)}</dd>
                <dt>{t('verify.genuine.sentAt')}</dt>
                <dd>
                  <time dateTime={verdict.sentAt}>{formatDateTime(verdict.sentAt)}</time>
                </dd>
                <dt>{t('verify.genuine.summary')}</dt>
                <dd data-testid="verify-summary">{verdict.summary}</dd>
              </dl>
              <p>{t('verify.genuine.still')}</p>
            </div>
          ) : null}
          {verdict?.genuine === false ? (
            <div className="notice notice-error" data-testid="verify-not-genuine">
              <p className="notice-title">{t('verify.fake.title')}</p>
              <p>{t('verify.fake.text')}</p>
              <ul>
                <li>{t('verify.fake.dont')}</li>
                <li>{t('verify.fake.recheck')}</li>
                <li>{t('verify.fake.official')}</li>
                <li>{t('verify.fake.call')}</li>
              </ul>
            </div>
          ) : null}
        </div>
      </div>
      <aside className="panel narrow" aria-labelledby={`${uid}-never-title`} data-testid="verify-never">
        <h2 id={`${uid}-never-title`}>{t('verify.never.title')}</h2>
        <ul id={`${uid}-never`}>
          <li>{t('verify.never.phone')}</li>
          <li>{t('verify.never.transfer')}</li>
          <li>{t('verify.never.link')}</li>
        </ul>
        <p>{t('verify.never.how')}</p>
        <p className="hotline">
          {t('verify.hotline.before')}
          <a href="tel:165" data-testid="verify-hotline">
            {t('verify.hotline.name')}
          </a>
          {t('verify.hotline.after')}
        </p>
      </aside>
    </section>
  );
}
