import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { bindThisDevice } from '../../lib/bind-device';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-async';

/** Binds this browser with a device code generated on the eMask site (SPEC §2 [ID 14]). */
export function CodeBind() {
  const { t } = useTranslation();
  const uid = useId();
  const [code, setCode] = useState('');
  const bind = useAction(() =>
    bindThisDevice((devicePublicKeyPem) =>
      api.post<{ deviceId: string | number; token: string }>('/api/v1/devices/bind', {
        code: code.replace(/\s+/g, ''),
        devicePublicKeyPem,
      }),
    ),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void bind.run();
  };
  return (
    <form onSubmit={onSubmit} data-testid="code-bind">
      <p className="hint">{t('app.codeIntro')}</p>
      <TextField
        id={`${uid}-code`}
        label={t('app.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        className="big-input"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="app-code"
      />
      <ErrorNotice error={bind.error} />
      <button type="submit" className="block" disabled={bind.busy} data-testid="app-code-submit">
        {t('app.bind')}
      </button>
      <p className="hint">
        {t('app.codeWhere')} <Link to="/emask/device">{t('app.codeWhereLink')}</Link>
      </p>
    </form>
  );
}
