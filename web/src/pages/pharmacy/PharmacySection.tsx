import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Layout';
import { useSession } from '../../lib/session';
import { PharmacyPos } from './PharmacyPos';
import { PharmacySignIn } from './PharmacySignIn';

/** The pharmacy: its sign-in, then the point of sale. */
export default function PharmacySection() {
  const { t } = useTranslation();
  const session = useSession('pharmacy');
  return (
    <div className="section pos">
      <PageTitle title={t('pos.title')} intro={t('pos.intro')} />
      {session ? <PharmacyPos session={session} /> : <PharmacySignIn />}
    </div>
  );
}
