// The admin pages: rendered at /staff/:city/admin/* inside the staff layout (see app/routes.tsx).
//
// The staff module is imported for the bundler only: admin pages always open inside the staff layout, so its chunk
// is loaded anyway, and with it the bundler sees admin and staff sharing the same app modules (session, API client,
// i18n…). Without it, rolldown splits the modules only the two share into an extra chunk that the residents' first
// page load must also fetch, and the initial JavaScript figure grows though no admin code is in it.
import '../staff/index.js';

export { AdminPage } from './AdminPage.js';
