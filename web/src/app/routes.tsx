/**
 * Every page and its address. Resident pages are in the first load; staff and admin pages (and their message
 * catalogs) are separate chunks loaded when a staff member opens them.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.js';
import { loadNamespace } from '../i18n/resources.js';
import { Loading } from '../ui/ui.js';
import { HomePage } from '../modules/resident/HomePage.js';
import { SignInPage } from '../modules/resident/SignInPage.js';
import { NewAppealPage } from '../modules/resident/NewAppealPage.js';
import { MyAppealsPage } from '../modules/resident/MyAppealsPage.js';
import { MyAppealPage } from '../modules/resident/MyAppealPage.js';
import { NotFoundPage } from '../modules/resident/NotFoundPage.js';

const staffPages = () => loadNamespace(i18n, 'staff').then(() => import('../modules/staff/index.js'));
const analyticsPages = () => Promise.all([loadNamespace(i18n, 'staff'), loadNamespace(i18n, 'analytics')]).then(() => import('../modules/analytics/index.js'));
const systemicPages = () => Promise.all([loadNamespace(i18n, 'staff'), loadNamespace(i18n, 'systemic')]).then(() => import('../modules/systemic/index.js'));
const adminPages = () => Promise.all([loadNamespace(i18n, 'staff'), loadNamespace(i18n, 'admin')]).then(() => import('../modules/admin/index.js'));

const StaffSignInPage = lazy(() => staffPages().then((m) => ({ default: m.StaffSignInPage })));
const StaffLayout = lazy(() => staffPages().then((m) => ({ default: m.StaffLayout })));
const InboxPage = lazy(() => staffPages().then((m) => ({ default: m.InboxPage })));
const StaffAppealPage = lazy(() => staffPages().then((m) => ({ default: m.StaffAppealPage })));
const ReceptionPage = lazy(() => staffPages().then((m) => ({ default: m.ReceptionPage })));
const AdminPage = lazy(() => adminPages().then((m) => ({ default: m.AdminPage })));
const ReviewsPage = lazy(() => staffPages().then((m) => ({ default: m.ReviewsPage })));
const ExtensionsPage = lazy(() => staffPages().then((m) => ({ default: m.ExtensionsPage })));
const StaffNotificationsPage = lazy(() => staffPages().then((m) => ({ default: m.NotificationsPage })));
const StaffScorecardsPage = lazy(() => staffPages().then((m) => ({ default: m.ScorecardsPage })));
const AnalyticsPage = lazy(() => analyticsPages().then((m) => ({ default: m.AnalyticsPage })));
const AnalyticsAppealsPage = lazy(() => analyticsPages().then((m) => ({ default: m.DrillDownPage })));
const SystemicProblemsPage = lazy(() => systemicPages().then((m) => ({ default: m.SystemicProblemsPage })));
const SystemicProblemPage = lazy(() => systemicPages().then((m) => ({ default: m.SystemicProblemPage })));
const MonthlyReportPage = lazy(() => analyticsPages().then((m) => ({ default: m.MonthlyReportPage })));
// Public scorecards and the resident's notifications: not on the first screen, so chunks of their own.
const ScorecardsPage = lazy(() => import('../modules/scorecards/index.js').then((m) => ({ default: m.ScorecardsPage })));
const ServiceScorecardPage = lazy(() => import('../modules/scorecards/index.js').then((m) => ({ default: m.ServiceScorecardPage })));
const PublicDashboardPage = lazy(() => loadNamespace(i18n, 'dashboard').then(() => import('../modules/public-dashboard/index.js')).then((m) => ({ default: m.PublicDashboardPage })));
const NotificationsPage = lazy(() => import('../modules/resident/NotificationsPage.js').then((m) => ({ default: m.NotificationsPage })));

function Deferred({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<Loading label={t('loading')} />}>{children}</Suspense>;
}

export const router = createBrowserRouter([
  { path: '/', element: <HomePage /> },
  { path: '/signin', element: <SignInPage /> },
  { path: '/:city/appeals/new', element: <NewAppealPage /> },
  { path: '/:city/my', element: <MyAppealsPage /> },
  { path: '/:city/my/:id', element: <MyAppealPage /> },
  { path: '/:city/scorecards', element: <Deferred><ScorecardsPage /></Deferred> },
  { path: '/:city/scorecards/:serviceId', element: <Deferred><ServiceScorecardPage /></Deferred> },
  { path: '/:city/dashboard', element: <Deferred><PublicDashboardPage /></Deferred> },
  { path: '/notifications', element: <Deferred><NotificationsPage /></Deferred> },
  { path: '/staff/signin', element: <Deferred><StaffSignInPage /></Deferred> },
  {
    path: '/staff/:city',
    element: <Deferred><StaffLayout><Outlet /></StaffLayout></Deferred>,
    children: [
      { path: 'inbox', element: <Deferred><InboxPage /></Deferred> },
      { path: 'appeals/:id', element: <Deferred><StaffAppealPage /></Deferred> },
      { path: 'reception', element: <Deferred><ReceptionPage /></Deferred> },
      { path: 'reviews', element: <Deferred><ReviewsPage /></Deferred> },
      { path: 'extensions', element: <Deferred><ExtensionsPage /></Deferred> },
      { path: 'notifications', element: <Deferred><StaffNotificationsPage /></Deferred> },
      { path: 'scorecards', element: <Deferred><StaffScorecardsPage /></Deferred> },
      { path: 'analytics', element: <Deferred><AnalyticsPage /></Deferred> },
      { path: 'analytics/appeals', element: <Deferred><AnalyticsAppealsPage /></Deferred> },
      { path: 'analytics/report', element: <Deferred><MonthlyReportPage /></Deferred> },
      { path: 'systemic', element: <Deferred><SystemicProblemsPage /></Deferred> },
      { path: 'systemic/:id', element: <Deferred><SystemicProblemPage /></Deferred> },
      { path: 'admin/*', element: <Deferred><AdminPage /></Deferred> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
