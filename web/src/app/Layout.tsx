/**
 * The frame of every page: a skip link, the header with the city, the language switcher and sign-in, and the
 * main landmark. Mobile first: the header wraps on narrow screens.
 */
import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/index.js';
import { useSession } from './session.js';
import { NotificationBell } from '../modules/resident/NotificationBell.js';

const LANGUAGE_NAMES: Record<string, string> = { ky: 'Кыргызча', ru: 'Русский', en: 'English' };

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switcher" role="group" aria-label={t('language.choose')}>
      {LANGUAGES.map((lng) => (
        <button key={lng} type="button" lang={lng} aria-pressed={i18n.language === lng} onClick={() => void i18n.changeLanguage(lng)}>
          {LANGUAGE_NAMES[lng]}
        </button>
      ))}
    </div>
  );
}

export function Layout({ children, nav }: { children: ReactNode; nav?: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="site-header">
        <Link to="/" className="brand">{t('brand')}</Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {nav}
            {me?.kind === 'citizen' ? <li><NotificationBell /></li> : null}
            {me ? (
              <li><button type="button" className="btn-link" onClick={() => void signOut()}>{t('nav.signOut')}</button></li>
            ) : (
              <li><NavLink to="/signin">{t('nav.signIn')}</NavLink></li>
            )}
          </ul>
        </nav>
        <LanguageSwitcher />
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
      <footer className="site-footer"><p>{t('footer.law')}</p></footer>
    </>
  );
}
