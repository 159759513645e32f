/**
 * The administration of a city: its reference data (districts, categories, services, routing), working time
 * (calendar and deadline rules) and access (staff accounts, API keys). Rendered inside the staff layout at
 * /staff/:city/admin/*; the rest of the address picks the section. Any staff member of the city may look; the server
 * lets only admins change anything and answers others with 403, whose message the forms show.
 */
import { Link, useParams } from 'react-router-dom';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { Alert, Loading, PageTitle } from '../../ui/ui.js';
import { AdminFrame, SECTIONS, useCity, useOutboxAvailable } from './common.js';
import { DistrictsPage } from './DistrictsPage.js';
import { CategoriesPage } from './CategoriesPage.js';
import { ServicesPage } from './ServicesPage.js';
import { RoutingPage } from './RoutingPage.js';
import { CalendarPage } from './CalendarPage.js';
import { UsersPage } from './UsersPage.js';
import { ApiKeysPage } from './ApiKeysPage.js';
import { OutboxPage } from './OutboxPage.js';
import { XRoadConsumersPage } from './XRoadConsumersPage.js';
import { ImportsPage } from './ImportsPage.js';
import { WebhooksPage } from './WebhooksPage.js';

/**
 * The sections, by the rest of the address after /admin/. A lookup rather than <Routes>: react-router's <Routes>
 * is used nowhere else, and importing it would keep it in the residents' first-load bundle (see index.ts).
 */
const PAGES: Record<string, () => ReactNode> = {
  '': AdminHome, districts: DistrictsPage, categories: CategoriesPage, services: ServicesPage, routing: RoutingPage,
  calendar: CalendarPage, users: UsersPage, 'api-keys': ApiKeysPage, outbox: OutboxPage, imports: ImportsPage, webhooks: WebhooksPage, xroad: XRoadConsumersPage,
};

export function AdminPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { me, loading } = useSession();
  const city = useCity();
  if (loading) return <Loading label={t('common:loading')} />;
  if (!me || me.kind !== 'staff') {
    return (
      <div className="admin">
        <PageTitle title={t('admin:signIn.title')}>{t('admin:signIn.title')}</PageTitle>
        <p>{t('admin:signIn.text')}</p>
        <p><Link to="/staff/signin">{t('admin:signIn.link')}</Link></p>
      </div>
    );
  }
  if (me.municipality !== city) {
    return (
      <div className="admin">
        <PageTitle title={t('admin:otherCity.title')}>{t('admin:otherCity.title')}</PageTitle>
        <Alert kind="error">{t('admin:otherCity.text')}</Alert>
        <p><Link to={`/staff/${me.municipality}/admin`}>{t('admin:otherCity.link')}</Link></p>
      </div>
    );
  }
  const Page = PAGES[(useParams()['*'] ?? '').replace(/\/+$/, '')] ?? AdminNotFound;
  return <Page />;
}

function AdminHome() {
  const { t } = useTranslation('admin');
  const city = useCity();
  const outbox = useOutboxAvailable();
  const sections = outbox ? [...SECTIONS, { path: 'outbox', key: 'outbox' }] : SECTIONS;
  return (
    <AdminFrame title={t('home.title')} intro={t('home.intro')} nav={false}>
      <ul className="admin-sections">
        {sections.map((s) => (
          <li key={s.path} className="card">
            <h2><Link to={`/staff/${city}/admin/${s.path}`}>{t(`${s.key}.title`)}</Link></h2>
            <p>{t(`${s.key}.summary`)}</p>
          </li>
        ))}
      </ul>
    </AdminFrame>
  );
}

function AdminNotFound() {
  const { t } = useTranslation(['admin', 'common']);
  const city = useCity();
  return (
    <AdminFrame title={t('common:notFound.title')}>
      <p>{t('common:notFound.text')}</p>
      <p><Link to={`/staff/${city}/admin`}>{t('admin:home.back')}</Link></p>
    </AdminFrame>
  );
}
