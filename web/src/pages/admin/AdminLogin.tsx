import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { useDemo } from '../../lib/demo';
import { clearSessionExpired, sessionExpired } from '../../lib/end-session';
import { setSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';

/**
 * The operator signs in with a username and password (POST /api/v1/admin/login). Back here
 * because the session lapsed, it says so; `onSignedIn(expired)` lets the console say that what
 * was typed is still there.
 */
export function AdminLogin({ onSignedIn }: { onSignedIn?: (afterExpiry: boolean) => void }) {
  const { t } = useTranslation();
  const uid = useId();
  const demo = useDemo();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [expired] = useState(() => sessionExpired('admin'));
  const login = useAction(async () => {
    const answer = await api.post<{ token: string }>('/api/v1/admin/login', {
      username: username.trim(),
      password,
    });
    clearSessionExpired('admin');
    onSignedIn?.(expired);
    setSession('admin', { token: answer.token, username: username.trim() });
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void login.run();
  };
  return (
    <form className="panel narrow" onSubmit={onSubmit} data-testid="admin-login">
      <h2>{t('admin.login')}</h2>
      {expired ? (
        <div className="notice notice-info" role="alert" data-testid="session-expired">
          <p>{t('ops.session.expired')}</p>
        </div>
      ) : null}
      <TextField
        id={`${uid}-user`}
        label={t('admin.username')}
        autoComplete="username"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <TextField
        id={`${uid}-password`}
        label={t('admin.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="admin-password"
      />
      {demo.status === 'on' ? <p className="hint">{t('admin.demoHint')}</p> : null}
      <ErrorNotice error={login.error} />
      <button type="submit" disabled={login.busy} data-testid="admin-submit">
        {t('admin.signIn')}
      </button>
    </form>
  );
}
