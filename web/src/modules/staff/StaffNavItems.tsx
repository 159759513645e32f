/**
 * The staff navigation's items for oversight: the review and extension queues (supervisors and administrators;
 * heads of service see their service's reviews), scorecards, and the notification bell with the unread count.
 * The count is shared by the bell and the notifications page (which updates it when items are read), and is
 * refreshed every minute while the tab is visible.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { hasRole } from './shared.js';

/** Who sees the review queue, the extension queue and scorecards. */
export const REVIEW_ROLES = ['admin', 'supervisor', 'service_head'];
export const REVIEW_DECIDERS = ['admin', 'supervisor'];
export const EXTENSION_DECIDERS = ['admin', 'supervisor'];
export const SCORECARD_ROLES = ['admin', 'supervisor', 'analyst', 'service_head', 'executor'];
export const ANALYTICS_ROLES = ['analyst', 'supervisor', 'admin'];
export const SYSTEMIC_ROLES = ['analyst', 'supervisor', 'admin'];

// ---- the unread count -----------------------------------------------------------------------------------------

const POLL_MS = 60_000;
let unread: { city: string; count: number } | null = null;
const listeners = new Set<() => void>();
const emit = () => { for (const l of listeners) l(); };

/** Sets the unread count of `city` (the notifications page knows it after each change). */
export function setUnreadCount(city: string, count: number) {
  if (unread?.city === city && unread.count === count) return;
  unread = { city, count };
  emit();
}

/** Asks the server for the unread count of `city`. */
export async function refreshUnreadCount(city: string): Promise<void> {
  try {
    const { data } = await api.GET('/api/v1/m/{municipality}/notifications', { params: { path: { municipality: city }, query: { limit: 1 } } });
    if (data) setUnreadCount(city, data.unreadCount);
  } catch { /* offline: the bell keeps the last count */ }
}

export function useUnreadCount(city: string): number | null {
  const snapshot = useSyncExternalStore(
    (l) => { listeners.add(l); return () => listeners.delete(l); },
    () => unread,
  );
  useEffect(() => {
    void refreshUnreadCount(city);
    const timer = window.setInterval(() => { if (document.visibilityState === 'visible') void refreshUnreadCount(city); }, POLL_MS);
    const onVisible = () => { if (document.visibilityState === 'visible') void refreshUnreadCount(city); };
    document.addEventListener('visibilitychange', onVisible);
    return () => { window.clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); };
  }, [city]);
  return snapshot?.city === city ? snapshot.count : null;
}

// ---- the items ------------------------------------------------------------------------------------------------

function BellIcon() {
  return (
    <svg className="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
    </svg>
  );
}

export function NotificationBell({ city }: { city: string }) {
  const { t, i18n } = useTranslation('staff');
  const count = useUnreadCount(city);
  return (
    <NavLink to={`/staff/${city}/notifications`} className="bell">
      <BellIcon />
      {t('nav.notifications')}
      {count ? (
        <span className="bell-count">
          <span aria-hidden="true">{formatNumber(count, i18n.language)}</span>
          <span className="visually-hidden">{t('notifications.unreadCount', { count, n: formatNumber(count, i18n.language) })}</span>
        </span>
      ) : null}
    </NavLink>
  );
}

/** The items after Inbox and Reception, for the roles that use them. */
export function StaffNavItems({ city, me }: { city: string; me: { roles: readonly string[] } }) {
  const { t } = useTranslation('staff');
  return (
    <>
      {hasRole(me, ...REVIEW_ROLES) ? <li><NavLink to={`/staff/${city}/reviews`}>{t('nav.reviews')}</NavLink></li> : null}
      {hasRole(me, ...EXTENSION_DECIDERS) ? <li><NavLink to={`/staff/${city}/extensions`}>{t('nav.extensions')}</NavLink></li> : null}
      {hasRole(me, ...SCORECARD_ROLES) ? <li><NavLink to={`/staff/${city}/scorecards`}>{t('nav.scorecards')}</NavLink></li> : null}
      {hasRole(me, ...ANALYTICS_ROLES) ? <li><NavLink to={`/staff/${city}/analytics`}>{t('nav.analytics')}</NavLink></li> : null}
      {hasRole(me, ...SYSTEMIC_ROLES) ? <li><NavLink to={`/staff/${city}/systemic`}>{t('nav.systemic')}</NavLink></li> : null}
      <li><NotificationBell city={city} /></li>
    </>
  );
}
