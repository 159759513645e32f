/**
 * The message catalogs, one JSON file per language and namespace: common (layout, shared words) and resident are
 * in the first page load; staff and admin are loaded with their pages, so residents never download them.
 */
import type { i18n as I18n } from 'i18next';
import kyCommon from './locales/ky/common.json';
import ruCommon from './locales/ru/common.json';
import enCommon from './locales/en/common.json';
import kyResident from './locales/ky/resident.json';
import ruResident from './locales/ru/resident.json';
import enResident from './locales/en/resident.json';

export const NAMESPACES = ['common', 'resident'] as const;

export const resources = {
  ky: { common: kyCommon, resident: kyResident },
  ru: { common: ruCommon, resident: ruResident },
  en: { common: enCommon, resident: enResident },
};

const lazy = {
  staff: () => Promise.all([import('./locales/ky/staff.json'), import('./locales/ru/staff.json'), import('./locales/en/staff.json')]),
  admin: () => Promise.all([import('./locales/ky/admin.json'), import('./locales/ru/admin.json'), import('./locales/en/admin.json')]),
  analytics: () => Promise.all([import('./locales/ky/analytics.json'), import('./locales/ru/analytics.json'), import('./locales/en/analytics.json')]),
  dashboard: () => Promise.all([import('./locales/ky/dashboard.json'), import('./locales/ru/dashboard.json'), import('./locales/en/dashboard.json')]),
  systemic: () => Promise.all([import('./locales/ky/systemic.json'), import('./locales/ru/systemic.json'), import('./locales/en/systemic.json')]),
  land: () => Promise.all([import('./locales/ky/land.json'), import('./locales/ru/land.json'), import('./locales/en/land.json')]),
  landStaff: () => Promise.all([import('./locales/ky/landStaff.json'), import('./locales/ru/landStaff.json'), import('./locales/en/landStaff.json')]),
};

/** Adds a lazy namespace's catalogs (staff, admin, analytics, systemic problems, the public dashboard) (all three languages, so switching language needs no reload). */
export async function loadNamespace(i18n: I18n, ns: keyof typeof lazy): Promise<void> {
  if (i18n.hasResourceBundle('en', ns)) return;
  const [ky, ru, en] = await lazy[ns]();
  i18n.addResourceBundle('ky', ns, ky.default);
  i18n.addResourceBundle('ru', ns, ru.default);
  i18n.addResourceBundle('en', ns, en.default);
}
