/**
 * The frame of every staff page: the shared layout with the staff navigation (Inbox; Reception for those who
 * register appeals; Land plots for admins, the land commission and moderators; Admin for admins), and who is
 * signed in. Anyone not signed in as staff of this city goes to the staff sign-in.
 */
import type { ReactNode } from 'react';
import { Navigate, NavLink, useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Layout } from '../../app/Layout.js';
import { useSession } from '../../app/session.js';
import { Loading } from '../../ui/ui.js';
import { hasRole, RECEPTION_ROLES, useStaffMe } from './shared.js';
import { StaffNavItems } from './StaffNavItems.js';

export function StaffLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation(['staff', 'common']);
  const { loading } = useSession();
  const me = useStaffMe();
  const { city = '' } = useParams();
  const location = useLocation();

  if (loading) return <Layout><Loading label={t('common:loading')} /></Layout>;
  if (!me) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/staff/signin?city=${encodeURIComponent(city)}&next=${next}`} replace />;
  }
  if (me.municipality !== city) return <Navigate to={`/staff/${me.municipality}/inbox`} replace />;

  const roles = me.roles.map((r) => t(`common:role.${r}`)).join(', ');
  const nav = (
    <>
      <li><NavLink to={`/staff/${city}/inbox`}>{t('nav.inbox')}</NavLink></li>
      {hasRole(me, ...RECEPTION_ROLES) ? <li><NavLink to={`/staff/${city}/reception`}>{t('nav.reception')}</NavLink></li> : null}
      <StaffNavItems city={city} me={me} />
      {hasRole(me, 'admin', 'land_commission', 'moderator') ? <li><NavLink to={`/staff/${city}/land`}>{t('nav.land')}</NavLink></li> : null}
      {hasRole(me, 'admin') ? <li><NavLink to={`/staff/${city}/admin`}>{t('nav.admin')}</NavLink></li> : null}
      <li className="staff-who"><span className="visually-hidden">{t('nav.signedInAs')} </span>{me.fullName} <span className="staff-role">({roles})</span></li>
    </>
  );
  return <Layout nav={nav}><div className="staff-page">{children}</div></Layout>;
}
