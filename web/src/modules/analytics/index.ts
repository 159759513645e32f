// The staff analytics pages: the dashboard, the appeals behind a figure and the monthly report. A chunk of their own
// (see app/routes.tsx), loaded with the 'analytics' message catalogs; the maps and the chart are further chunks.
import './analytics.css';
export { AnalyticsPage } from './AnalyticsPage.js';
export { DrillDownPage } from './DrillDownPage.js';
export { MonthlyReportPage } from './MonthlyReportPage.js';
