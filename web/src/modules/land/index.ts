// The residents' land pages: a chunk of their own (see app/routes.tsx), loaded with the 'land' message catalogs;
// the map (Leaflet) is a further chunk.
export { LandPage } from './LandPage.js';
export { PlotPage } from './PlotPage.js';
export { AnnouncementPage } from './AnnouncementPage.js';
export { ProposalFormPage } from './ProposalFormPage.js';
export { ProposalsPage } from './ProposalsPage.js';
export { ProposalPage } from './ProposalPage.js';
export { MeetingsPage, MeetingPage } from './MeetingsPages.js';
export { HearingPage } from './HearingPage.js';
export { SubscriptionsPage } from './SubscriptionsPage.js';
