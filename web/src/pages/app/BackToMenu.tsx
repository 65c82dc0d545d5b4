import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';

/** The way back to the app's menu, at the top of each app screen. */
export function BackToMenu() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to="/app">← {t('app.back')}</Link>
    </p>
  );
}
