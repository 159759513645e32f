/**
 * The header's link to the resident's notifications, with the number of unread ones (in words for screen
 * readers: "Notifications, 3 unread"). Shown only to a signed-in citizen; staff have their own in the staff header.
 */
import { NavLink } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { useUnreadCount } from './notifications.js';
import { formatNumber as formatNum } from '../../i18n/index.js';

export function NotificationBell() {
  const { t, i18n } = useTranslation('resident');
  const { me } = useSession();
  const isCitizen = me?.kind === 'citizen';
  const unread = useUnreadCount(isCitizen);
  if (!isCitizen) return null;
  return (
    <NavLink to="/notifications" className="nt-bell">
      <svg className="nt-bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      {t('notifications.nav')}
      {unread ? (
        <>
          {' '}<span className="nt-count" aria-hidden="true">{unread > 99 ? '99+' : formatNum(unread, i18n.language)}</span>
          <span className="visually-hidden">{t('notifications.unreadShort', { count: unread })}</span>
        </>
      ) : null}
    </NavLink>
  );
}
