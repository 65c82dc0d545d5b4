import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TabList } from '../../components/TabList';
import { api, newChallenge } from '../../lib/api';
import { signNonce } from '../../lib/crypto';
import { forgetDevice, loadDevice, type StoredDevice } from '../../lib/device-store';
import { setSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';
import { CodeBind } from './CodeBind';
import { PhoneAuth } from './PhoneAuth';

/** The app's sign-in: a bound device signs a challenge; an unbound one binds by phone or device code. */
export function AppSignIn() {
  const { t } = useTranslation();
  const [device, setDevice] = useState<StoredDevice | null | undefined>(undefined);
  const [method, setMethod] = useState<'phone' | 'code'>('phone');

  useEffect(() => {
    loadDevice().then(setDevice, () => setDevice(null));
  }, []);

  const deviceLogin = useAction(async () => {
    if (!device) return;
    const challenge = await newChallenge();
    const answer = await api.post<{ token: string }>('/api/v1/auth/device/login', {
      deviceId: device.deviceId,
      challengeId: challenge.challengeId,
      signature: await signNonce(device.keyPair.privateKey, challenge.nonce),
    });
    setSession('app', { token: answer.token, deviceId: device.deviceId });
  });

  const unbind = async () => {
    await forgetDevice();
    setDevice(null);
  };

  if (device === undefined) return <p className="hint">{t('common.loading')}</p>;
  if (device) {
    return (
      <section className="panel" aria-labelledby="app-device-title">
        <h2 id="app-device-title">{t('app.boundTitle')}</h2>
        <p>{t('app.boundText', { id: String(device.deviceId) })}</p>
        <ErrorNotice error={deviceLogin.error} />
        <button
          type="button"
          className="block"
          onClick={() => void deviceLogin.run()}
          disabled={deviceLogin.busy}
          data-testid="device-login"
        >
          {t('app.deviceLogin')}
        </button>
        <button type="button" className="link-button" onClick={() => void unbind()}>
          {t('app.unbind')}
        </button>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="app-signin-title">
      <h2 id="app-signin-title">{t('app.signInTitle')}</h2>
      <TabList
        label={t('app.methods')}
        selected={method}
        onSelect={setMethod}
        tabs={[
          { key: 'phone', id: 'app-tab-phone', label: t('app.byPhone'), panelId: 'app-panel-phone' },
          {
            key: 'code',
            id: 'app-tab-code',
            label: t('app.byCode'),
            panelId: 'app-panel-code',
            testId: 'app-tab-code',
          },
        ]}
      />
      {method === 'phone' ? (
        <div role="tabpanel" id="app-panel-phone" aria-labelledby="app-tab-phone">
          <PhoneAuth />
        </div>
      ) : (
        <div role="tabpanel" id="app-panel-code" aria-labelledby="app-tab-code">
          <CodeBind />
        </div>
      )}
    </section>
  );
}
