import { useTranslation } from 'react-i18next';
import { PartnerSignIn } from '../../components/PartnerSignIn';
import { useDemo } from '../../lib/demo';
import { storeLabel } from '../../lib/format';
import { setSession } from '../../lib/session';

/** A store signs in with its id and API key; in demo mode the demo stores can be picked. */
export function StoreSignIn() {
  const { t } = useTranslation();
  const demo = useDemo();
  const choices =
    demo.status === 'on'
      ? demo.data.stores.map((s) => ({
          id: String(s.id),
          label: `${storeLabel(s, t)} (#${s.id})`,
          apiKey: s.apiKey,
        }))
      : [];
  return (
    <PartnerSignIn
      title={t('store.signIn')}
      idLabel={t('store.storeId')}
      idPattern="[0-9]+"
      demoChoices={choices}
      testId="store-signin"
      onSubmit={(id, apiKey, name) =>
        setSession('store', { storeId: Number(id), apiKey, ...(name ? { name } : {}) })
      }
    />
  );
}
