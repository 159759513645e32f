// The staff workspace: sign-in, the layout, the inbox, one appeal, and reception. Loaded as a separate chunk
// (see app/routes.tsx), together with the 'staff' message catalogs.
export { StaffSignInPage } from './StaffSignInPage.js';
export { StaffLayout } from './StaffLayout.js';
export { InboxPage } from './InboxPage.js';
export { StaffAppealPage } from './StaffAppealPage.js';
export { ReceptionPage } from './ReceptionPage.js';
export { ReviewsPage } from './ReviewsPage.js';
export { ExtensionsPage } from './ExtensionsPage.js';
export { NotificationsPage } from './NotificationsPage.js';
export { ScorecardsPage } from './ScorecardsPage.js';
