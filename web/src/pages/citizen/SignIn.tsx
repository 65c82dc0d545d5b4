import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TabList } from '../../components/TabList';
import { CardSignIn } from './CardSignIn';
import { CertificateSignIn } from './CertificateSignIn';

/** Sign in on the eMask site: NHI card + registration password, or a citizen digital certificate. */
export function SignIn() {
  const { t } = useTranslation();
  const [method, setMethod] = useState<'card' | 'certificate'>('card');
  return (
    <section className="panel signin" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      <TabList
        label={t('signin.methods')}
        selected={method}
        onSelect={setMethod}
        tabs={[
          { key: 'card', id: 'tab-card', label: t('signin.card'), panelId: 'panel-card' },
          {
            key: 'certificate',
            id: 'tab-certificate',
            label: t('signin.certificate'),
            panelId: 'panel-certificate',
            testId: 'tab-certificate',
          },
        ]}
      />
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
