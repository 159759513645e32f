// The public dashboard: a chunk of its own (see app/routes.tsx), loaded with the 'dashboard' message catalogs; the
// map (Leaflet, h3-js) and the chart are further chunks.
export { PublicDashboardPage } from './PublicDashboardPage.js';
