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

// Many browsers' Intl has no Kyrgyz data (Chromium without full ICU prints "2026 M11 24"). There, Kyrgyz dates are
// written out in the CLDR Kyrgyz pattern, and numbers take the Russian conventions, which Kyrgyz shares.
const KY_MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const intlKnowsKyrgyz = (() => {
  try { return Intl.DateTimeFormat.supportedLocalesOf(['ky']).length > 0; } catch { return false; }
})();

/** Dates in the locale's own format. A bare YYYY-MM-DD is a calendar day, not an instant. */
export function formatDate(value: string | Date, lang: string, withTime = false): string {
  const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  if (lang === 'ky' && !intlKnowsKyrgyz) {
    const day = `${d.getFullYear()}-ж., ${d.getDate()}-${KY_MONTHS[d.getMonth()]}`;
    return withTime ? `${day}, ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}` : day;
  }
  return new Intl.DateTimeFormat(lang, withTime
    ? { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

export function formatNumber(value: number, lang: string): string {
  return new Intl.NumberFormat(lang === 'ky' && !intlKnowsKyrgyz ? 'ru' : lang).format(value);
}
