import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageTitle } from '../../components/Layout';
import { TextField } from '../../components/TextField';
import { api } from '../../lib/api';
import { useDemo } from '../../lib/demo';
import { Link, match } from '../../lib/router';
import { setSession, useSession } from '../../lib/session';
import { useAction } from '../../lib/use-async';
import { ClockPage } from './ClockPage';
import { PartnersPage } from './PartnersPage';
import { RoundsAdmin } from './RoundsAdmin';
import { StatsPage } from './StatsPage';
import { StoresAdmin } from './StoresAdmin';

const TABS = [
  { to: '/admin', key: 'admin.nav.stats' },
  { to: '/admin/rounds', key: 'admin.nav.rounds' },
  { to: '/admin/stores', key: 'admin.nav.stores' },
  { to: '/admin/partners', key: 'admin.nav.partners' },
  { to: '/admin/clock', key: 'admin.nav.clock' },
] as const;

export default function AdminSection({ path }: { path: string }) {
  const { t } = useTranslation();
  const session = useSession('admin');
  let page: React.ReactNode;
  if (!session) page = <AdminLogin />;
  else if (match('/admin/rounds', path)) page = <RoundsAdmin token={session.token} />;
  else if (match('/admin/stores', path)) page = <StoresAdmin token={session.token} />;
  else if (match('/admin/partners', path)) page = <PartnersPage token={session.token} />;
  else if (match('/admin/clock', path)) page = <ClockPage />;
  else page = <StatsPage token={session.token} />;
  return (
    <div className="section admin">
      <PageTitle title={t('admin.title')} intro={t('admin.intro')} />
      {session ? (
        <nav aria-label={t('admin.nav.label')} className="subnav">
          <ul>
            {TABS.map((tab) => (
              <li key={tab.to}>
                <Link to={tab.to}>{t(tab.key)}</Link>
              </li>
            ))}
          </ul>
          <span className="hint">
            {session.username}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => setSession('admin', null)}
              data-testid="admin-signout"
            >
              {t('common.signOut')}
            </button>
          </span>
        </nav>
      ) : null}
      {page}
    </div>
  );
}

function AdminLogin() {
  const { t } = useTranslation();
  const uid = useId();
  const demo = useDemo();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const login = useAction(async () => {
    const answer = await api.post<{ token: string }>('/api/v1/admin/login', {
      username: username.trim(),
      password,
    });
    setSession('admin', { token: answer.token, username: username.trim() });
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void login.run();
  };
  return (
    <form className="panel narrow" onSubmit={onSubmit} data-testid="admin-login">
      <h2>{t('admin.login')}</h2>
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
