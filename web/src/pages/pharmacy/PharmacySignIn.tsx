import { useTranslation } from 'react-i18next';
import { PartnerSignIn } from '../../components/PartnerSignIn';
import { useDemo } from '../../lib/demo';
import { setSession } from '../../lib/session';

/** A pharmacy signs in with its code and API key; in demo mode the demo pharmacies can be picked. */
export function PharmacySignIn() {
  const { t } = useTranslation();
  const demo = useDemo();
  const choices =
    demo.status === 'on'
      ? demo.data.pharmacies.map((p) => ({ id: p.code, label: `${p.name} (${p.code})`, apiKey: p.apiKey }))
      : [];
  return (
    <PartnerSignIn
      title={t('pos.signIn')}
      idLabel={t('pos.code')}
      idPattern="[0-9A-Za-z]{10}"
      demoChoices={choices}
      testId="pharmacy-signin"
      onSubmit={(code, apiKey, name) => setSession('pharmacy', { code, apiKey, ...(name ? { name } : {}) })}
    />
  );
}
