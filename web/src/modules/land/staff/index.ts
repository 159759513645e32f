// The staff's land pages (/staff/:city/land/*): a chunk of their own, loaded with the 'landStaff' message catalogs
// (see app/routes.tsx). The staff module is imported for the bundler, as the admin chunk does: these pages always
// open inside the staff layout, so sharing its modules keeps the residents' first load unchanged.
import '../../staff/index.js';

export { PlotsPage } from './PlotsPage.js';
export { PlotEditPage } from './PlotEditPage.js';
export { AnnouncePage } from './AnnouncePage.js';
export { ModerationPage } from './ModerationPage.js';
export { CommissionPage } from './CommissionPage.js';
export { MeetingPage } from './MeetingPage.js';
export { SettingsPage } from './SettingsPage.js';
export { HearingsPage, HearingPage } from './HearingsPages.js';
export { LandHome } from './LandHome.js';
