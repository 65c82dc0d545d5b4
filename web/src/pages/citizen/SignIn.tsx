import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onTabListKeyDown } from '../../lib/tabs';
import { CardSignIn } from './CardSignIn';
import { CertificateSignIn } from './CertificateSignIn';

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
