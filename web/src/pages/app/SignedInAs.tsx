import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { useEndSessionOn401 } from '../../lib/end-session';
import { useAsync } from '../../lib/use-async';

/** `GET /api/v1/auth/session`: whose phone this is, so nobody orders on someone else's app unawares. */
interface SessionView {
  channel: string;
  person: { name: string; nationalIdMasked: string };
}

/** "已登入：王小明（A1*****789）": the person the app is signed in as, the ID masked as the API gives it. */
export function SignedInAs({ token }: { token: string }) {
  const { t } = useTranslation();
  const session = useAsync(
    (signal) => api.get<SessionView>('/api/v1/auth/session', { token, signal }),
    [token],
  );
  useEndSessionOn401('app', session.error);
  if (!session.data) return null;
  const { name, nationalIdMasked } = session.data.person;
  return (
    <p className="hint" data-testid="app-signed-in-as">
      {t('counter.signedInAs', { name, id: nationalIdMasked })}
    </p>
  );
}
