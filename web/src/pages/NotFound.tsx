import { useTranslation } from 'react-i18next';

/** Any path the site has no screen for. */
export function NotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
    </section>
  );
}
