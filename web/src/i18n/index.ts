/**
 * Kyrgyz, Russian and English. Every text is in the message catalogs (locales/<lang>/<namespace>.json); none is
 * written in a component. The choice is remembered, and <html lang> follows it.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources, NAMESPACES } from './resources.js';

export const LANGUAGES = ['ky', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'shaar.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  const fromBrowser = navigator.languages.map((l) => l.slice(0, 2)).find((l) => (LANGUAGES as readonly string[]).includes(l));
  return (fromBrowser as Language | undefined) ?? 'ky';
}

void i18n.use(initReactI18next).init({
  resources,
  ns: [...NAMESPACES],
  defaultNS: 'common',
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem(STORAGE_KEY, lng);
});

export default i18n;

/** Dates and numbers in the locale's own format. Kyrgyz falls back to Russian conventions where Intl lacks ky. */
export function formatDate(value: string | Date, lang: string, withTime = false): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(lang, withTime
    ? { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(value);
}
