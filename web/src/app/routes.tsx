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
// The residents' land pages: a chunk of their own, with the 'land' message catalogs.
const landPages = () => loadNamespace(i18n, 'land').then(() => import('../modules/land/index.js'));
const LandPage = lazy(() => landPages().then((m) => ({ default: m.LandPage })));
const LandPlotPage = lazy(() => landPages().then((m) => ({ default: m.PlotPage })));
const LandAnnouncementPage = lazy(() => landPages().then((m) => ({ default: m.AnnouncementPage })));
const LandProposalFormPage = lazy(() => landPages().then((m) => ({ default: m.ProposalFormPage })));
const LandProposalsPage = lazy(() => landPages().then((m) => ({ default: m.ProposalsPage })));
const LandProposalPage = lazy(() => landPages().then((m) => ({ default: m.ProposalPage })));
const LandMeetingsPage = lazy(() => landPages().then((m) => ({ default: m.MeetingsPage })));
const LandMeetingPage = lazy(() => landPages().then((m) => ({ default: m.MeetingPage })));
const LandHearingPage = lazy(() => landPages().then((m) => ({ default: m.HearingPage })));
const LandSubscriptionsPage = lazy(() => landPages().then((m) => ({ default: m.SubscriptionsPage })));
// The staff's land pages: their own chunk, with the 'landStaff' catalogs.
const landStaffPages = () => Promise.all([loadNamespace(i18n, 'staff'), loadNamespace(i18n, 'landStaff')]).then(() => import('../modules/land/staff/index.js'));
const LandStaffHome = lazy(() => landStaffPages().then((m) => ({ default: m.LandHome })));
const LandStaffPlotsPage = lazy(() => landStaffPages().then((m) => ({ default: m.PlotsPage })));
const LandStaffPlotPage = lazy(() => landStaffPages().then((m) => ({ default: m.PlotEditPage })));
const LandStaffAnnouncePage = lazy(() => landStaffPages().then((m) => ({ default: m.AnnouncePage })));
const LandStaffModerationPage = lazy(() => landStaffPages().then((m) => ({ default: m.ModerationPage })));
const LandStaffCommissionPage = lazy(() => landStaffPages().then((m) => ({ default: m.CommissionPage })));
const LandStaffMeetingPage = lazy(() => landStaffPages().then((m) => ({ default: m.MeetingPage })));
const LandStaffSettingsPage = lazy(() => landStaffPages().then((m) => ({ default: m.SettingsPage })));
const LandStaffHearingsPage = lazy(() => landStaffPages().then((m) => ({ default: m.HearingsPage })));
const LandStaffHearingPage = lazy(() => landStaffPages().then((m) => ({ default: m.HearingPage })));

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
  { path: '/:city/land', element: <Deferred><LandPage /></Deferred> },
  { path: '/:city/land/plots/:id', element: <Deferred><LandPlotPage /></Deferred> },
  { path: '/:city/land/announcements/:id', element: <Deferred><LandAnnouncementPage /></Deferred> },
  { path: '/:city/land/proposals', element: <Deferred><LandProposalsPage /></Deferred> },
  { path: '/:city/land/proposals/new', element: <Deferred><LandProposalFormPage /></Deferred> },
  { path: '/:city/land/proposals/:id', element: <Deferred><LandProposalPage /></Deferred> },
  { path: '/:city/land/meetings', element: <Deferred><LandMeetingsPage /></Deferred> },
  { path: '/:city/land/meetings/:id', element: <Deferred><LandMeetingPage /></Deferred> },
  { path: '/:city/land/hearings/:id', element: <Deferred><LandHearingPage /></Deferred> },
  { path: '/:city/land/subscriptions', element: <Deferred><LandSubscriptionsPage /></Deferred> },
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
      { path: 'land', element: <Deferred><LandStaffHome /></Deferred> },
      { path: 'land/plots', element: <Deferred><LandStaffPlotsPage /></Deferred> },
      { path: 'land/plots/new', element: <Deferred><LandStaffPlotPage /></Deferred> },
      { path: 'land/plots/:id', element: <Deferred><LandStaffPlotPage /></Deferred> },
      { path: 'land/plots/:id/announce', element: <Deferred><LandStaffAnnouncePage /></Deferred> },
      { path: 'land/moderation', element: <Deferred><LandStaffModerationPage /></Deferred> },
      { path: 'land/commission', element: <Deferred><LandStaffCommissionPage /></Deferred> },
      { path: 'land/commission/meetings/:id', element: <Deferred><LandStaffMeetingPage /></Deferred> },
      { path: 'land/settings', element: <Deferred><LandStaffSettingsPage /></Deferred> },
      { path: 'land/hearings', element: <Deferred><LandStaffHearingsPage /></Deferred> },
      { path: 'land/hearings/:id', element: <Deferred><LandStaffHearingPage /></Deferred> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
