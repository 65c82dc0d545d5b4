import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';
import { useSimClock } from '../lib/demo';
import { formatDateTime } from '../lib/format';
import { Link, usePath } from '../lib/router';

const SECTIONS = [
  { to: '/emask', key: 'nav.emask' },
  { to: '/app', key: 'nav.app' },
  { to: '/pharmacy', key: 'nav.pharmacy' },
  { to: '/store', key: 'nav.store' },
  { to: '/admin', key: 'nav.admin' },
  { to: '/open-data', key: 'nav.openData' },
] as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-TW' : 'en';
  return (
    <button
      type="button"
      className="lang-switch"
      lang={next === 'en' ? 'en' : 'zh-Hant-TW'}
      onClick={() => void setLanguage(next)}
      aria-label={t('lang.switchLabel')}
      data-testid="lang-switch"
    >
      {next === 'en' ? 'English' : '中文'}
    </button>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  const clock = useSimClock();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="header-row">
          <Link to="/" className="brand">
            <span aria-hidden="true" className="brand-mark">
              ▣
            </span>
            {t('brand')}
          </Link>
          <LanguageSwitch />
        </div>
        <nav aria-label={t('nav.label')}>
          <ul className="nav-list">
            {SECTIONS.map((s) => (
              <li key={s.to}>
                <Link to={s.to} className={path.startsWith(s.to) ? 'active' : undefined}>
                  {t(s.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {clock.manual && clock.now ? (
          <p className="demo-banner" data-testid="sim-clock">
            {t('demo.banner', { now: formatDateTime(clock.now) })}
          </p>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t('footer.text')}</p>
        <p>
          <Link to="/verify" data-testid="footer-verify">
            {t('footer.verify')}
          </Link>{' '}
          · <a href="/docs">{t('footer.api')}</a> ·{' '}
          <a href="/api/v1/open-data/pharmacy-stock.csv">{t('footer.csv')}</a>
        </p>
      </footer>
    </>
  );
}

/** A page's heading and intro, with the document title kept in step. */
export function PageTitle({ title, intro }: { title: string; intro?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="page-title">
      <title>{`${title} · ${t('brand')}`}</title>
      <h1>{title}</h1>
      {intro ? <p className="lead">{intro}</p> : null}
    </div>
  );
}
